// The expected end (Maintenance and Out of Service only), with quick choices, and the note beside it. Typed on the
// site's clock when the points share one zone (the window editor's rule, planned/windowZone.ts), with the time on
// the viewer's own clock beside it where the two differ.
import type { ReactNode } from 'react';
import { untilAllowed } from '../../../../common/status.js';
import type { OperatorStatus, UntilAction } from '../../../../common/status.js';
import { isoToZonedInput, siteTime, viewerTimeZone, zonedInputToIso, zoneOffsetMs } from '../../model/windows.js';
import { isoToLocalInput, localInputToIso } from '../../util/time.js';
import type { ZoneChoice } from '../planned/windowZone.js';
import { NOTE_MAX } from '../../../../common/model.js';

export interface QuickUntil {
  label: string;
  iso: string;
}

/**
 * +1 h and +4 h; with `dayTimes` also today 18:00 (before then) and tomorrow 08:00, on the zone's clock (`tz`; the
 * viewer's own by default): a site's 18:00, not the viewer's.
 */
export function quickUntilOptions(nowMs: number, dayTimes = true, tz = viewerTimeZone()): QuickUntil[] {
  const plus = (h: number) => new Date(nowMs + h * 3600_000).toISOString();
  const today = isoToZonedInput(new Date(nowMs).toISOString(), tz).slice(0, 10);
  // The zone's calendar day after today, whatever its length (23 or 25 hours across a daylight-saving change).
  const tomorrow = new Date(Date.parse(`${today}T12:00:00Z`) + 24 * 3600_000).toISOString().slice(0, 10);
  const at = (day: string, hour: number) => zonedInputToIso(`${day}T${String(hour).padStart(2, '0')}:00`, tz)!;
  const opts = [
    { label: '+1 h', iso: plus(1) },
    { label: '+4 h', iso: plus(4) },
  ];
  if (!dayTimes) return opts;
  if (Date.parse(at(today, 18)) > nowMs) opts.push({ label: 'Today 18:00', iso: at(today, 18) });
  opts.push({ label: 'Tomorrow 08:00', iso: at(tomorrow, 8) });
  return opts;
}

/** The until input's value → ISO: read on the zone's clock, else on this computer's. null when empty or not a date. */
export function untilInputToIso(value: string, zone?: ZoneChoice): string | null {
  if (!value) return null;
  return zone ? zonedInputToIso(value, zone.tz) : localInputToIso(value);
}

function isoToUntilInput(iso: string, zone?: ZoneChoice): string {
  return zone ? isoToZonedInput(iso, zone.tz) : isoToLocalInput(iso);
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
  zone,
  nowMs = Date.now(),
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
  /** The clock the input is read on (the points' site zone); without it, this computer's. */
  zone?: ZoneChoice;
  nowMs?: number;
}) {
  const id = `${idPrefix}-until`;
  const allowed = !!status && untilAllowed(status);
  const iso = allowed ? untilInputToIso(until, zone) : null;
  const otherClock =
    !!zone && !!iso && zoneOffsetMs(Date.parse(iso), zone.tz) !== zoneOffsetMs(Date.parse(iso), viewerTimeZone());
  return (
    <div className={`field${allowed ? '' : ' field-disabled'}`}>
      <label htmlFor={id}>
        Expected end{' '}
        <span className="muted">
          ({zone ? `${zone.label}${zone.site ? '' : ': the points are at sites in different time zones'}; ` : ''}
          {hint})
        </span>
      </label>
      <input
        id={id}
        type="datetime-local"
        value={until}
        disabled={!allowed}
        onChange={(e) => onChange(e.target.value)}
        data-testid={id}
      />
      {/* What it is on the viewer's own clock, where that differs from the one typed in. */}
      {zone && iso && otherClock && (
        <span className="muted small zoned-echo" data-testid={`${id}-echo`}>
          {siteTime(iso, zone.tz, nowMs)}
        </span>
      )}
      {allowed && (
        <div className="presets">
          {quick.map((q) => (
            <button type="button" key={q.label} className="chip" onClick={() => onChange(isoToUntilInput(q.iso, zone))}>
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
            <input
              type="radio"
              name={`${id}-action`}
              checked={action === 'revert'}
              onChange={() => onAction('revert')}
              data-testid={`${id}-revert`}
            />{' '}
            go back to Available on its own
          </label>
          <label>
            <input
              type="radio"
              name={`${id}-action`}
              checked={action === 'remind'}
              onChange={() => onAction('remind')}
              data-testid={`${id}-remind`}
            />{' '}
            only remind (shown overdue)
          </label>
        </fieldset>
      )}
    </div>
  );
}

export function NoteField({
  idPrefix,
  note,
  onChange,
}: {
  idPrefix: string;
  note: string;
  onChange(note: string): void;
}) {
  const id = `${idPrefix}-note`;
  return (
    <div className="field">
      <label htmlFor={id}>
        Note <span className="muted">(optional, shown in the history)</span>
      </label>
      <textarea id={id} rows={2} maxLength={NOTE_MAX} value={note} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}
