// Words the console shows for facts that need a rule: connector details a station did not report, and the header's
// line about when this console was last in sync. Pure; tests/unit/renderer-labels.test.ts covers them.
import { LIVENESS_LABELS } from '../../../common/status.js';
import type { ConnectionState } from '../../../common/consoleApi.js';
import type { Connector } from '../../../common/model.js';
import { ago, fullTime, shortTime } from '../util/time.js';
import type { Connectivity } from './connectivity.js';

export const NOT_REPORTED = 'not reported';

/** What an older console cached for a connector the station did not describe (before type and power could be null). */
function legacyUnreported(c: Connector): boolean {
  return c.type === 'Unknown' && c.maxKw === 0;
}

/** The connector's type, or "not reported" when the station did not say. */
export function connectorTypeLabel(c: Connector): string {
  return c.type === null || c.type.trim() === '' || legacyUnreported(c) ? NOT_REPORTED : c.type;
}

/** The connector's maximum power, or "not reported" when the station did not say. */
export function connectorPowerLabel(c: Connector): string {
  return c.maxKw === null || legacyUnreported(c) ? NOT_REPORTED : `${c.maxKw} kW`;
}

/**
 * The header's sync line: nothing while the link is up and the console is live (it is current, so "Live" says it
 * all and no age keeps growing beside it); the time of the last sync, with its age, only when the console is behind:
 * connecting, reconnecting, offline, signed out, or this page cut off from its console.
 */
export function syncLine(
  state: ConnectionState['state'],
  hostReachable: boolean,
  lastSyncAt: string | null,
  nowMs: number,
): string | null {
  if (state === 'live' && hostReachable) return null;
  return lastSyncAt ? `last in sync ${shortTime(lastSyncAt, nowMs)} (${ago(lastSyncAt, nowMs)})` : 'never in sync yet';
}

/** The grid's station marker's tooltip: its state, since when, and when it was last heard (ages computed at render
 *  of the rows on screen only). */
export function connectivityTitle(conn: Connectivity, nowMs: number): string {
  const heard = conn.lastHeardAt
    ? `last heard ${fullTime(conn.lastHeardAt)} (${ago(conn.lastHeardAt, nowMs)})`
    : 'never heard';
  const since = conn.since ? ` since ${fullTime(conn.since)}` : '';
  if (conn.source === 'point') {
    return conn.kind === 'offline'
      ? `Station offline; ${heard}`
      : `Station connected; ${heard} (no word on its liveness from the backend yet)`;
  }
  if (conn.kind === 'online') return `Online${since}; ${heard}`;
  if (conn.kind === 'silent')
    return `Silent${since}: the backend has not heard from the station in time; ${heard}. Its report may be out of date.`;
  return `Offline${since}; ${heard}. Its report may be out of date.`;
}

/** The drawer's line about the station: "Silent since 13:23 · last heard 15 min ago", "Online · last heard 12 s ago". */
export function connectivityLine(conn: Connectivity, nowMs: number): string {
  const word = LIVENESS_LABELS[conn.kind];
  const since =
    conn.kind !== 'online' ? (conn.since ? ` since ${shortTime(conn.since, nowMs)}` : ' (since an unknown time)') : '';
  const heard = conn.lastHeardAt ? `last heard ${ago(conn.lastHeardAt, nowMs)}` : 'never heard';
  return `${word}${since} · ${heard}`;
}
