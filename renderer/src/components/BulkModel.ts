// The pure side of bulk editing: what a bulk change will do (the preview), and where each point of a running
// bulk change is (the progress and results list). No React here, so it can be tested on its own.
import { effectiveView, type ViewPoint } from '../../../common/consoleApi.js';
import {
  NOTE_MAX,
  roleAllows,
  type MutationOutcome,
  type PointOutcome,
  type Role,
  type StatusEdit,
} from '../../../common/model.js';
import { availabilityFor, STATUS_LABELS, type OperatorStatus } from '../../../common/status.js';

// ---- preview ----

export interface BulkPreview {
  total: number;
  sites: number;
  /** Operator status now (with this console's pending edits laid over), per status. */
  byCurrent: [OperatorStatus, number][];
  /** Already have the chosen status: the backend will answer "unchanged" unless the reason/note/end differ. */
  alreadyThat: number;
  /** A session is running: the station will answer Scheduled and apply it when the session ends. */
  occupied: number;
  /** Points whose station is offline: saved on the backend now, applied when the station reconnects. */
  offlinePoints: number;
  offlineStations: number;
  /** Points with an edit of this console still waiting or in conflict: this change is queued behind it. */
  pendingHere: number;
  /** Points the person may not change (their role), and why. */
  notAllowed: number;
  notAllowedWhy: string | null;
  /** Points no longer in the network (left since they were selected). */
  missing: number;
}

export function bulkPreview(
  pointIds: readonly string[],
  points: ReadonlyMap<string, ViewPoint>,
  status: OperatorStatus | null,
  role: Role | null,
): BulkPreview {
  const byCurrent = new Map<OperatorStatus, number>();
  const sites = new Set<string>();
  const offlineStations = new Set<string>();
  let alreadyThat = 0;
  let occupied = 0;
  let offlinePoints = 0;
  let pendingHere = 0;
  let missing = 0;
  const sendsCommand = status ? availabilityFor(status) !== null : true;
  for (const id of pointIds) {
    const p = points.get(id);
    if (!p) {
      missing++;
      continue;
    }
    const current = effectiveView(p).operatorStatus;
    byCurrent.set(current, (byCurrent.get(current) ?? 0) + 1);
    sites.add(p.siteId);
    if (status && current === status) alreadyThat++;
    if (!p.stationConnected) {
      offlinePoints++;
      offlineStations.add(p.stationId);
    } else if (p.reported.status === 'Occupied' && sendsCommand) occupied++;
    if (p.pending) pendingHere++;
  }
  const total = pointIds.length - missing;
  let notAllowedWhy: string | null = null;
  if (role && !roleAllows(role, 'edit')) notAllowedWhy = `your role (${role}) can view but not change statuses`;
  else if (role && total > 1 && !roleAllows(role, 'bulkEdit'))
    notAllowedWhy = `changing several points at once needs a supervisor; your role is ${role}`;
  return {
    total,
    sites: sites.size,
    byCurrent: [...byCurrent].sort((a, b) => b[1] - a[1]),
    alreadyThat,
    occupied,
    offlinePoints,
    offlineStations: offlineStations.size,
    pendingHere,
    notAllowed: notAllowedWhy ? total : 0,
    notAllowedWhy,
    missing,
  };
}

// ---- progress and results ----

/** Where one point of a bulk change is, in words a person reads in the results list. */
export const RESULT_KINDS = [
  'waiting', // queued on this computer or sent, no answer yet
  'saved', // saved on the backend; the station has not answered yet
  'applied', // the station confirmed / accepted (or nothing to send: override, unchanged)
  'scheduled', // the station will apply it when the running session ends
  'stationOffline', // saved; applied when the station reconnects
  'stationRejected', // the station said no
  'noReply', // the station did not answer
  'notConfirmed', // the station took it but never showed it applied it (re-send or withdraw from the point's details)
  'conflict', // someone else changed the point since: nothing overwritten
  'rejected', // refused by the backend
  'notAllowed', // the person's role may not do this
  'changedSince', // applied, then changed again by someone (later change wins)
] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];

export const RESULT_LABELS: Record<ResultKind, string> = {
  waiting: 'Waiting',
  saved: 'Saved, awaiting station',
  applied: 'Applied',
  scheduled: 'Scheduled',
  stationOffline: 'Station offline',
  stationRejected: 'Rejected by station',
  noReply: 'No station reply',
  notConfirmed: 'Not confirmed',
  conflict: 'Conflict',
  rejected: 'Refused by backend',
  notAllowed: 'Not allowed',
  changedSince: 'Changed since',
};

/** What each result means, in a sentence (tooltips, and the detail when the backend gave none). */
export const RESULT_HINTS: Record<ResultKind, string> = {
  waiting: 'Queued on this computer or sent; the backend has not answered yet',
  saved: 'Saved on the backend; waiting for the station to answer',
  applied: 'In effect: the station confirmed it (or there was nothing to change)',
  scheduled: 'The station will apply it when the running session ends',
  stationOffline: 'Saved; the station is offline and gets it when it reconnects',
  stationRejected: 'The station refused the command',
  noReply: 'The station did not answer in time; it is sent again when the station reconnects',
  notConfirmed: 'The station took it but never showed it applied it: re-send or withdraw it from the point’s details',
  conflict: 'Someone else changed the point since; nothing was overwritten',
  rejected: 'The backend refused the change for this point',
  notAllowed: 'Your role may not make this change',
  changedSince: 'Applied, then changed again by a later edit (the later one stands)',
};

/** Answered for now: nothing more happens without the station reconnecting, a session ending, or a person. */
export const SETTLED_KINDS: ReadonlySet<ResultKind> = new Set([
  'applied',
  'scheduled',
  'stationOffline',
  'stationRejected',
  'noReply',
  'notConfirmed',
  'conflict',
  'rejected',
  'notAllowed',
  'changedSince',
]);
/** Failed and worth another try. */
export const RETRYABLE_KINDS: ReadonlySet<ResultKind> = new Set(['stationRejected', 'noReply', 'conflict', 'rejected']);
export const PROBLEM_KINDS: ReadonlySet<ResultKind> = new Set([
  'stationRejected',
  'noReply',
  'notConfirmed',
  'conflict',
  'rejected',
  'notAllowed',
]);

/** One request sent for a bulk change: the first, a retry, or an undo's restoring edit. */
export interface BulkAttempt {
  mutationId: string;
  edit: StatusEdit;
  pointIds: string[];
}

export interface PointResult {
  pointId: string;
  kind: ResultKind;
  /** Whether the backend has answered for this point. */
  answered: boolean;
  detail: string | null;
  /** The backend's own wording, when the detail above is rephrased. */
  raw?: string | null;
  attempt: BulkAttempt | null;
}

/** One point's place, from the latest attempt that covers it, its outcome (if any) and the point as shown now. */
export function pointResult(
  pointId: string,
  attempt: BulkAttempt | null,
  outcome: MutationOutcome | undefined,
  point: ViewPoint | undefined,
): PointResult {
  const base = { pointId, attempt };
  if (!outcome) {
    const failed =
      point?.pending && point.pending.mutationId === attempt?.mutationId && point.pending.state === 'failed';
    if (failed) return { ...base, kind: 'rejected', answered: true, detail: point!.pending!.error };
    return {
      ...base,
      kind: 'waiting',
      answered: false,
      detail: point?.pending?.state === 'sending' ? 'sent to the backend' : 'queued on this computer',
    };
  }
  const po: PointOutcome | undefined = outcome.points.find((p) => p.pointId === pointId);
  if (!po) return { ...base, kind: 'rejected', answered: true, detail: outcome.reason ?? 'refused by the backend' };
  switch (po.result) {
    case 'notAllowed':
      return { ...base, kind: 'notAllowed', answered: true, detail: po.reason };
    case 'rejected':
      return { ...base, kind: 'rejected', answered: true, detail: po.reason };
    case 'conflict':
      return {
        ...base,
        kind: 'conflict',
        answered: true,
        detail: po.current
          ? `now ${STATUS_LABELS[po.current.status]}${po.current.by ? ` by ${po.current.by}` : ''}${po.current.reason ? ` (${po.current.reason})` : ''}`
          : po.reason,
      };
    case 'unchanged':
      return { ...base, kind: 'applied', answered: true, detail: 'already so: nothing to change' };
    case 'applied':
      break;
  }
  if (!point) return { ...base, kind: 'saved', answered: true, detail: null };
  const version = po.operatorVersion ?? 0;
  if (point.operator.version < version)
    return { ...base, kind: 'saved', answered: true, detail: 'saved on the backend' };
  if (point.operator.version > version) {
    return {
      ...base,
      kind: 'changedSince',
      answered: true,
      detail: `now ${STATUS_LABELS[point.operator.status]}${point.operator.by ? ` by ${point.operator.by}` : ''}`,
    };
  }
  const d = point.delivery;
  const station = (kind: PointResult['kind'], detail: string): PointResult => ({
    ...base,
    kind,
    answered: true,
    detail,
    raw: d.detail,
  });
  switch (d.state) {
    case 'confirmed':
      return station('applied', 'confirmed by the station');
    case 'accepted':
      return station('applied', 'accepted by the station');
    case 'overrideOnly':
      return station('applied', 'shown on every console (nothing is sent to the station)');
    case 'scheduled':
      return station('scheduled', 'a session is running: applies when it ends');
    case 'stationOffline':
      return station('stationOffline', `station ${point.stationId} offline: applies when it reconnects`);
    case 'rejected':
      return station('stationRejected', d.detail ?? 'the station refused it');
    case 'noReply':
      return station('noReply', 'no reply in time: sent again when the station reconnects');
    case 'notConfirmed':
      return station('notConfirmed', d.detail ?? 'the station never showed it applied it');
    default:
      return {
        ...base,
        kind: 'saved',
        answered: true,
        detail: d.state === 'sentToStation' ? 'sent to the station' : 'saved on the backend',
      };
  }
}

export interface BulkProgress {
  total: number;
  /** The backend answered (saved, or refused). */
  answered: number;
  /** Settled for now (the station answered, or nothing more will happen by itself). */
  settled: number;
  percent: number;
  byKind: Map<ResultKind, number>;
  results: PointResult[];
}

/** Every point of a bulk change: the latest attempt that names it decides. */
export function bulkProgress(
  pointIds: readonly string[],
  attempts: readonly BulkAttempt[],
  outcomes: ReadonlyMap<string, MutationOutcome>,
  points: ReadonlyMap<string, ViewPoint>,
): BulkProgress {
  const latest = new Map<string, BulkAttempt>();
  for (const a of attempts) for (const id of a.pointIds) latest.set(id, a);
  const byKind = new Map<ResultKind, number>();
  const results: PointResult[] = [];
  let answered = 0;
  let settled = 0;
  for (const id of pointIds) {
    const attempt = latest.get(id) ?? null;
    const r = pointResult(id, attempt, attempt ? outcomes.get(attempt.mutationId) : undefined, points.get(id));
    results.push(r);
    byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
    if (r.answered) answered++;
    if (SETTLED_KINDS.has(r.kind)) settled++;
  }
  const total = pointIds.length;
  return {
    total,
    answered,
    settled,
    percent: total === 0 ? 100 : Math.floor((settled / total) * 100),
    byKind,
    results,
  };
}

/** The edit for a retry: the same change, marked as a retry so that the backend sends it to the station again. */
export function retryEdit(edit: StatusEdit, n: number): StatusEdit {
  const mark = `Retry ${n}`;
  const note = edit.note?.replace(/^Retry \d+(: |$)/, '') ?? '';
  return { ...edit, note: (note ? `${mark}: ${note}` : mark).slice(0, NOTE_MAX) };
}

/** The points an undo of a run would restore, as far as the results show (the core decides, and says what it skipped). */
export function undoTargets(results: readonly PointResult[]): string[] {
  return results.filter((r) => !NOT_CHANGED_KINDS.has(r.kind)).map((r) => r.pointId);
}
const NOT_CHANGED_KINDS: ReadonlySet<ResultKind> = new Set(['conflict', 'rejected', 'notAllowed']);
