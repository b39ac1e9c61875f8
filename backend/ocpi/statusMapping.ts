// From our status model to OCPI 2.2.1's EVSE status, and the connector and schedule details partners are shown.
import type { Connector, Point } from '../../common/model.js';
import type { ShownStatus } from '../../common/status.js';
import { effectiveView } from '../../common/consoleApi.js';
import type { ConnectorObject, EvseStatus, StatusSchedule } from './schemas.js';

/**
 * The OCPI status of an EVSE whose shown status is `shown` (null: the point no longer exists, REMOVED).
 * Our point is the OCPI EVSE (OCPP 2.0.1 EVSE; an OCPP 1.6 connector is a "virtual EVSE" of its own, as OCA's
 * application note on multiple connectors per EVSE advises). Where our statuses have no OCPI twin we chose:
 * - Unavailable (the station itself reports it unusable while no operator set a status): INOPERATIVE, "temporarily
 *   not usable", not OUTOFORDER, because the station did not report a fault.
 * - Unknown (registered, never reported) and Offline (no connection): UNKNOWN, as OCPI says for "no connection".
 * - An Occupied set by an operator as an override counts as CHARGING like a reported one: the bay is taken.
 * BLOCKED and PLANNED are never sent: we know of no parked car in front of a bay, and we publish only built points.
 */
export function ocpiStatusOf(shown: ShownStatus | null): EvseStatus {
  if (shown === null) return 'REMOVED';
  switch (shown) {
    case 'Available':
      return 'AVAILABLE';
    case 'Occupied':
      return 'CHARGING';
    case 'Reserved':
      return 'RESERVED';
    case 'OutOfService':
    case 'Maintenance':
    case 'Unavailable':
      return 'INOPERATIVE';
    case 'Faulted':
      return 'OUTOFORDER';
    case 'Offline':
    case 'Unknown':
      return 'UNKNOWN';
  }
}

/**
 * The OCPI status of a point as it stands in the backend. A multi-connector EVSE is summarised before this: the store
 * keeps one reported status per EVSE, the most telling of its connectors (Faulted, then Occupied, Reserved, Available,
 * Unavailable, Unknown: backend/store/points.ts), so one charging connector makes the EVSE CHARGING (OCPI: an EVSE
 * charges one vehicle at a time) and one faulted connector makes it OUTOFORDER.
 */
export function ocpiStatusOfPoint(point: Point): EvseStatus {
  return ocpiStatusOf(effectiveView(point).shown);
}

/** A planned or running maintenance window of a point, as status_schedule needs it. */
export interface WindowSpan {
  startsAt: string;
  endsAt: string | null;
}

/**
 * status_schedule from the point's maintenance windows that have not ended: each an INOPERATIVE period. It only
 * informs (a real change is still pushed when the window starts and ends). Absent when there is none.
 */
export function statusScheduleOf(windows: readonly WindowSpan[], nowMs: number): StatusSchedule[] | undefined {
  const upcoming = windows
    .filter((w) => w.endsAt === null || Date.parse(w.endsAt) > nowMs)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
    .map((w): StatusSchedule => ({
      period_begin: utc(w.startsAt),
      ...(w.endsAt ? { period_end: utc(w.endsAt) } : {}),
      status: 'INOPERATIVE',
    }));
  return upcoming.length > 0 ? upcoming : undefined;
}

/** Our connector types and the OCPI standard, format and current each stands for (null: not published). */
const CONNECTOR_KINDS: Record<string, Pick<ConnectorObject, 'standard' | 'format' | 'power_type' | 'max_voltage'>> = {
  Type2: { standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230 },
  CCS2: { standard: 'IEC_62196_T2_COMBO', format: 'CABLE', power_type: 'DC', max_voltage: 920 },
  CHAdeMO: { standard: 'CHADEMO', format: 'CABLE', power_type: 'DC', max_voltage: 500 },
};
/** When a connector's power is not known: the usual ratings of the kind. */
const DEFAULT_KW: Record<string, number> = { Type2: 22, CCS2: 50, CHAdeMO: 50 };

/**
 * The OCPI connector for one of ours, or null when its type is not known (a point learned from a station's reports):
 * OCPI has no "unknown" standard, and a wrong plug on a driver's map is worse than none. max_voltage is the kind's
 * nominal voltage (line to neutral for AC, as OCPI asks); max_amperage is derived from the power.
 */
export function ocpiConnectorOf(c: Connector, lastUpdated: string): ConnectorObject | null {
  const kind = c.type === null ? undefined : CONNECTOR_KINDS[c.type];
  if (!kind) return null;
  const kw = c.maxKw ?? DEFAULT_KW[c.type!];
  const phases = kind.power_type === 'AC_3_PHASE' ? 3 : 1;
  return {
    id: String(c.id),
    ...kind,
    max_amperage: Math.max(1, Math.ceil((kw * 1000) / (kind.max_voltage * phases))),
    ...(c.maxKw !== null && c.maxKw > 0 ? { max_electric_power: Math.round(c.maxKw * 1000) } : {}),
    last_updated: lastUpdated,
  };
}

/** OCPI DateTime in UTC with the Z suffix. */
export function utc(iso: string): string {
  return new Date(Date.parse(iso)).toISOString();
}
