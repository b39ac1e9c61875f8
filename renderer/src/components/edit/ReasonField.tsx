// The reason: a free-text input with the common reasons for the chosen status as chips below it.
import type { Ref } from 'react';
import { REASON_MAX } from '../../../../common/model.js';
import type { OperatorStatus } from '../../../../common/status.js';

export const REASON_PRESETS: Record<OperatorStatus, string[]> = {
  Available: ['Repaired', 'Maintenance finished', 'Checked on site: working'],
  OutOfService: ['Site closed', 'Power outage at the site', 'Bay blocked', 'Awaiting repair', 'Vandalism'],
  Maintenance: ['Scheduled maintenance', 'Firmware update', 'Inspection', 'Cleaning'],
  Faulted: [
    'Does not start charging',
    'Cable or connector damaged',
    'Payment terminal fault',
    'Display broken',
    'Trips the breaker',
  ],
  Occupied: [
    'Vehicle left connected after charging',
    'Bay blocked by a non-charging vehicle',
    'Station reports wrongly',
  ],
};

/** Whether the reason is one of a status's presets (then choosing another status clears it). */
export function isPresetReason(status: OperatorStatus | null, reason: string): boolean {
  return REASON_PRESETS[status ?? 'Available'].includes(reason.trim());
}

export function ReasonField({
  idPrefix,
  step = '',
  required,
  status,
  reason,
  placeholder,
  invalid,
  inputRef,
  onChange,
}: {
  /** `editor` or `bulk`: the input's id and test id are `<prefix>-reason`. */
  idPrefix: string;
  /** Put before the label ("2. "). */
  step?: string;
  required: boolean;
  status: OperatorStatus | null;
  reason: string;
  placeholder: string;
  invalid: boolean;
  inputRef: Ref<HTMLInputElement>;
  onChange(reason: string): void;
}) {
  const id = `${idPrefix}-reason`;
  return (
    <div className="field">
      <label htmlFor={id}>
        {step}Reason {required ? <span className="req">(required)</span> : <span className="muted">(optional)</span>}
      </label>
      <input
        ref={inputRef}
        id={id}
        type="text"
        maxLength={REASON_MAX}
        autoComplete="off"
        value={reason}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        aria-invalid={invalid}
        data-testid={id}
      />
      {status && (
        <div className="presets" role="group" aria-label="Common reasons">
          {REASON_PRESETS[status].map((r) => (
            <button
              type="button"
              key={r}
              className={`chip${reason === r ? ' chip-on' : ''}`}
              onClick={() => onChange(r)}
            >
              {r}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
