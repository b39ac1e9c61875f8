// A date-and-time input read on a given zone's clock (the sites' own, or the viewer's), saying which, with the
// time it stands for in the viewer's own clock where the two differ.
import type { ReactNode } from 'react';
import { siteTime, viewerTimeZone, zonedInputToIso, zoneOffsetMs } from '../../model/windows.js';
import type { ZoneChoice } from './windowZone.js';

export function ZonedTimeField({
  id,
  label,
  value,
  zone,
  nowMs,
  disabled = false,
  invalid = false,
  onChange,
  children,
}: {
  id: string;
  label: ReactNode;
  /** The datetime-local value, on the zone's clock. */
  value: string;
  zone: ZoneChoice;
  nowMs: number;
  disabled?: boolean;
  invalid?: boolean;
  onChange(value: string): void;
  /** Quick choices under the input. */
  children?: ReactNode;
}) {
  const iso = value ? zonedInputToIso(value, zone.tz) : null;
  return (
    <div className={`field${disabled ? ' field-disabled' : ''}`}>
      <label htmlFor={id}>
        {label} <span className="muted">({zone.label})</span>
      </label>
      <input
        id={id}
        type="datetime-local"
        step={1}
        value={value}
        disabled={disabled}
        aria-invalid={invalid}
        onChange={(e) => onChange(e.target.value)}
        data-testid={id}
      />
      {/* What it is on the viewer's own clock, where that differs from the one typed in. */}
      {iso &&
        !disabled &&
        zoneOffsetMs(Date.parse(iso), zone.tz) !== zoneOffsetMs(Date.parse(iso), viewerTimeZone()) && (
          <span className="muted small zoned-echo" data-testid={`${id}-echo`}>
            {siteTime(iso, zone.tz, nowMs)}
          </span>
        )}
      {children}
    </div>
  );
}
