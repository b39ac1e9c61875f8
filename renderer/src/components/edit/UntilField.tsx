// The expected end (Maintenance and Out of Service only), with quick choices, and the note beside it.
import type { ReactNode } from 'react';
import { untilAllowed } from '../../../../common/status.js';
import type { OperatorStatus, UntilAction } from '../../../../common/status.js';
import { isoToLocalInput } from '../../util/time.js';

export interface QuickUntil {
  label: string;
  iso: string;
}

/** +1 h and +4 h; with `dayTimes` also today 18:00 (before then) and tomorrow 08:00. */
export function quickUntilOptions(nowMs: number, dayTimes = true): QuickUntil[] {
  const now = new Date(nowMs);
  const plus = (h: number) => new Date(nowMs + h * 3600_000).toISOString();
  const at = (dayOffset: number, hour: number) => {
    const d = new Date(now);
    d.setDate(d.getDate() + dayOffset);
    d.setHours(hour, 0, 0, 0);
    return d.toISOString();
  };
  const opts = [
    { label: '+1 h', iso: plus(1) },
    { label: '+4 h', iso: plus(4) },
  ];
  if (!dayTimes) return opts;
  if (now.getHours() < 18) opts.push({ label: 'Today 18:00', iso: at(0, 18) });
  opts.push({ label: 'Tomorrow 08:00', iso: at(1, 8) });
  return opts;
}

export function UntilField({
  idPrefix,
  status,
  until,
  hint,
  quick,
  onChange,
  action = 'remind',
  onAction,
}: {
  /** `editor` or `bulk`: the input's id and test id are `<prefix>-until`. */
  idPrefix: string;
  status: OperatorStatus | null;
  /** The datetime-local input's value. */
  until: string;
  /** In the label's parentheses. */
  hint: ReactNode;
  quick: QuickUntil[];
  onChange(until: string): void;
  /** What happens when the expected end passes (sent as the edit's untilAction). */
  action?: UntilAction;
  onAction?(action: UntilAction): void;
}) {
  const id = `${idPrefix}-until`;
  const allowed = !!status && untilAllowed(status);
  return (
    <div className={`field${allowed ? '' : ' field-disabled'}`}>
      <label htmlFor={id}>
        Expected end <span className="muted">({hint})</span>
      </label>
      <input id={id} type="datetime-local" value={until} disabled={!allowed} onChange={(e) => onChange(e.target.value)} data-testid={id} />
      {allowed && (
        <div className="presets">
          {quick.map((q) => (
            <button type="button" key={q.label} className="chip" onClick={() => onChange(isoToLocalInput(q.iso))}>
              {q.label}
            </button>
          ))}
          {until && (
            <button type="button" className="chip" onClick={() => onChange('')}>
              Clear
            </button>
          )}
        </div>
      )}
      {allowed && until && onAction && (
        <fieldset className="until-action" data-testid={`${id}-action`}>
          <legend className="muted small">When it passes:</legend>
          <label>
            <input type="radio" name={`${id}-action`} checked={action === 'revert'} onChange={() => onAction('revert')} data-testid={`${id}-revert`} /> go back to
            Available on its own
          </label>
          <label>
            <input type="radio" name={`${id}-action`} checked={action === 'remind'} onChange={() => onAction('remind')} data-testid={`${id}-remind`} /> only remind
            (shown overdue)
          </label>
        </fieldset>
      )}
    </div>
  );
}

export function NoteField({ idPrefix, note, onChange }: { idPrefix: string; note: string; onChange(note: string): void }) {
  const id = `${idPrefix}-note`;
  return (
    <div className="field">
      <label htmlFor={id}>
        Note <span className="muted">(optional, shown in the history)</span>
      </label>
      <textarea id={id} rows={2} maxLength={2000} value={note} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}
