// The status buttons of the editor and the bulk dialog: one labelled button per operator status, with its key.
import type { ReactNode } from 'react';
import { STATUS_LABELS } from '../../../../common/status.js';
import type { OperatorStatus } from '../../../../common/status.js';
import { STATUS_ICONS } from '../icons.js';
import './StatusChoices.css';

export interface StatusChoice {
  status: OperatorStatus;
  /** The letter that chooses it. */
  key: string;
  /** The digit that chooses it (in the single editor). */
  digit: string;
  hint: string;
}

export const CHOICES: StatusChoice[] = [
  { status: 'Available', key: 'A', digit: '1', hint: 'Open for charging (Operative)' },
  { status: 'OutOfService', key: 'O', digit: '2', hint: 'Temporarily not usable (Inoperative)' },
  { status: 'Maintenance', key: 'M', digit: '3', hint: 'Planned upkeep, with an expected end (Inoperative)' },
  { status: 'Faulted', key: 'F', digit: '4', hint: 'Broken: flagged for a technician (Inoperative)' },
];

export function ChoiceButton({
  status,
  keyHint,
  hint,
  chosen,
  current = false,
  testIdPrefix,
  onChoose,
}: {
  status: OperatorStatus;
  keyHint: string;
  hint: string;
  chosen: boolean;
  /** Marks the status the points have now. */
  current?: boolean;
  /** `editor` or `bulk`: the test id is `<prefix>-status-<status>`. */
  testIdPrefix: string;
  onChoose(s: OperatorStatus): void;
}) {
  const Icon = STATUS_ICONS[status];
  return (
    <button
      type="button"
      className={`choice st-${status}${chosen ? ' choice-on' : ''}`}
      aria-pressed={chosen}
      onClick={() => onChoose(status)}
      title={hint}
      data-testid={`${testIdPrefix}-status-${status}`}
    >
      <Icon size={18} />
      <span className="choice-label">{STATUS_LABELS[status]}</span>
      <kbd className="choice-key" aria-hidden="true">
        {keyHint}
      </kbd>
      {current && <span className="choice-current">current</span>}
    </button>
  );
}

/** The fieldset with one button per entry of CHOICES; `children` go below the row (the editor's override). */
export function StatusChoices({
  legend,
  chosen,
  isCurrent,
  testIdPrefix,
  onChoose,
  children,
}: {
  legend: string;
  chosen: OperatorStatus | null;
  isCurrent?(s: OperatorStatus): boolean;
  testIdPrefix: string;
  onChoose(s: OperatorStatus): void;
  children?: ReactNode;
}) {
  return (
    <fieldset className="choices">
      <legend>{legend}</legend>
      <div className="choice-row">
        {CHOICES.map((c) => (
          <ChoiceButton
            key={c.status}
            status={c.status}
            keyHint={c.key}
            hint={c.hint}
            chosen={chosen === c.status}
            current={isCurrent?.(c.status)}
            testIdPrefix={testIdPrefix}
            onChoose={onChoose}
          />
        ))}
      </div>
      {children}
    </fieldset>
  );
}
