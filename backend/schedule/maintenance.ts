// Planned maintenance, run by the backend on its clock with no console open: at a window's start its points go to
// Maintenance (a normal operator change: versioned, audited, ChangeAvailability Inoperative with delivery tracking);
// at its end each point goes back to the operator state it had before, unless a person changed it meanwhile. Due
// work is found in the store, so a restart catches up on what fell due while the backend was down.
import { createHash } from 'node:crypto';
import type { Clock, TimerHandle } from '../../common/clock.js';
import type { Mutation, Role } from '../../common/model.js';
import { roleAllows } from '../../common/model.js';
import type { ErrorReply } from '../../common/protocol.js';
import type {
  CancelWindowRequest,
  ChangeWindowRequest,
  MaintenanceWindow,
  PlanWindowRequest,
  WindowOverlap,
  WindowReply,
} from '../../common/windows.js';
import { MAX_OVERLAP_POINTS } from '../../common/windows.js';
import type { AppliedPoint } from '../store/mutations.js';
import type { Store } from '../store/index.js';
import type { DueWindow, WindowPointPrev, WindowPointRow } from '../store/windows.js';

export interface SchedulerHooks {
  /** Points whose operator status the scheduler changed: their stations must be told. */
  applied(points: AppliedPoint[]): void;
  /** Windows changed (planned, started, ended, edited, cancelled): the consoles must hear. */
  windowsChanged(): void;
  /**
   * Whether fewer than `limit` changes still wait for their stations' answers; if not, `resume` is called once they
   * do. Without it the scheduler does not wait for stations.
   */
  stationsKeepUp?(limit: number, resume: () => void): boolean;
  log(line: string): void;
}

export class WindowError extends Error {
  constructor(
    readonly code: ErrorReply['code'],
    message: string,
    /** Set when the window was refused for overlapping another. */
    readonly overlap?: WindowOverlap,
  ) {
    super(message);
  }
}

export interface Planner {
  username: string;
  role: Role;
}

const iso = (t: string | number): string => new Date(t).toISOString();
function alreadySo(
  w: MaintenanceWindow,
  fields: Partial<Pick<MaintenanceWindow, 'startsAt' | 'endsAt' | 'reason' | 'note'>>,
): boolean {
  return (Object.keys(fields) as (keyof typeof fields)[]).every((k) => fields[k] === undefined || fields[k] === w[k]);
}

const span = (startsAt: string, endsAt: string | null): string => `${startsAt} – ${endsAt ?? 'open-ended'}`;
/** A window's own changes are made with the rights of the system, on behalf of whoever planned it. */
const SYSTEM_ROLE: Role = 'admin';
/** Points started or ended in one commit, before the event loop serves others (a window is never split). */
const POINTS_PER_TURN = 25;
/** Due windows looked at per turn. */
const WINDOWS_PER_LOOK = POINTS_PER_TURN + 1;
/** Changes sent to stations and not yet answered, at most, before more windows start or end. */
const MAX_UNANSWERED = 100;
/** After a turn that could not be stored, the next try. */
const RETRY_MS = 5_000;

interface Turn {
  starts: DueStart[];
  ends: DueWindow[];
  /** Points touched (a window without points counts one). */
  points: number;
}

type DueStart = DueWindow & { pointIds: string[] };

/** Due starts grouped by the change they make: same reason, note, end and planner. */
function sameChange(starts: DueStart[]): DueStart[][] {
  const groups = new Map<string, DueStart[]>();
  for (const w of starts) {
    const key = JSON.stringify([w.reason, w.note, w.endsAt, w.createdBy]);
    const group = groups.get(key);
    if (group) group.push(w);
    else groups.set(key, [w]);
  }
  return [...groups.values()];
}

/** A short id for a set of windows (mutation ids are at most 100 characters). */
const digest = (ids: string[]): string => createHash('sha256').update(ids.join('\n')).digest('base64url').slice(0, 32);

export class MaintenanceScheduler {
  private timer: TimerHandle | null = null;
  private stopped = false;
  /** More due work waits for the next turn of the event loop. */
  private draining = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly hooks: SchedulerHooks,
  ) {}

  /** Runs whatever fell due while the backend was down, then waits for the next start or end. */
  start(): void {
    this.runDue();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
  }

  plan(req: PlanWindowRequest, by: Planner): WindowReply {
    const pointIds = [...new Set(req.pointIds)];
    this.checkRole(by, pointIds.length);
    const existing = this.store.windows.get(req.id);
    if (existing) {
      if (existing.createdBy !== by.username)
        throw new WindowError('conflict', 'that window id is taken: plan it again with a new id');
      return { window: existing, message: 'already planned' };
    }
    const now = this.clock.now();
    const startsAt = iso(req.startsAt);
    const endsAt = req.endsAt === null ? null : iso(req.endsAt);
    if (endsAt !== null && Date.parse(endsAt) <= now) throw new WindowError('invalid', 'the window ends in the past');
    const unknown = pointIds.filter((id) => !this.store.points.row(id));
    if (unknown.length > 0)
      throw new WindowError(
        'notFound',
        `unknown point${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 5).join(', ')}`,
      );
    this.store.changes.write('plan window', () => {
      this.refuseOverlaps(req.id, pointIds, startsAt, endsAt);
      const seq = this.store.windows.insert({
        id: req.id,
        pointIds,
        startsAt,
        endsAt,
        reason: req.reason.trim(),
        note: req.note?.trim() || null,
        createdBy: by.username,
        createdAt: iso(now),
      });
      this.audit(
        seq,
        req.id,
        pointIds,
        `user:${by.username}`,
        'planned',
        `${span(startsAt, endsAt)}: ${req.reason.trim()}`,
      );
    });
    this.hooks.log(
      `maintenance: ${by.username} planned window ${req.id} for ${pointIds.length} point(s) from ${startsAt}`,
    );
    const startsNow = Date.parse(startsAt) <= now;
    this.changed();
    const window = this.store.windows.get(req.id)!;
    return startsNow
      ? { window, message: 'started at once: its start had passed', tookEffectAtOnce: true }
      : { window, message: 'planned' };
  }

  change(req: ChangeWindowRequest, by: Planner): WindowReply {
    const fields = {
      startsAt: req.startsAt === undefined ? undefined : iso(req.startsAt),
      endsAt: req.endsAt === undefined ? undefined : req.endsAt === null ? null : iso(req.endsAt),
      reason: req.reason?.trim(),
      note: req.note === undefined ? undefined : req.note?.trim() || null,
    };
    const as = this.store.windows.get(req.id);
    // The same change sent again (its answer was lost on the way back): it is already so.
    if (as && as.version > req.version && alreadySo(as, fields)) return { window: as, message: 'already so' };
    const w = this.current(req.id, req.version);
    this.checkRole(by, w.points.length);
    const now = this.clock.now();
    if (w.state === 'ended' || w.state === 'cancelled')
      throw new WindowError('invalid', `the window has ${w.state}: plan a new one`);
    if (w.state === 'running' && fields.startsAt !== undefined && fields.startsAt !== w.startsAt) {
      throw new WindowError('invalid', 'the window has started: only its end, reason and note can change');
    }
    const startsAt = fields.startsAt ?? w.startsAt;
    const endsAt = fields.endsAt === undefined ? w.endsAt : fields.endsAt;
    if (endsAt !== null && Date.parse(endsAt) <= Date.parse(startsAt))
      throw new WindowError('invalid', 'the end must be after the start');
    this.store.changes.write('change window', () => {
      if (w.state === 'planned')
        this.refuseOverlaps(
          w.id,
          w.points.map((p) => p.pointId),
          startsAt,
          endsAt,
        );
      const seq = this.store.windows.update(w.id, w, fields);
      const held = w.points.filter((p) => p.state === 'planned' || p.state === 'applied').map((p) => p.pointId);
      this.audit(
        seq,
        w.id,
        held,
        `user:${by.username}`,
        'changed',
        `${span(startsAt, endsAt)}: ${fields.reason ?? w.reason}`,
      );
    });
    const ending = w.state === 'running' && endsAt !== null && Date.parse(endsAt) <= now;
    this.hooks.log(`maintenance: ${by.username} changed window ${w.id}`);
    this.changed();
    const window = this.store.windows.get(w.id)!;
    return ending
      ? { window, message: 'ended now: its new end has passed', tookEffectAtOnce: true }
      : { window, message: 'changed' };
  }

  cancel(req: CancelWindowRequest, by: Planner): WindowReply {
    const done = this.store.windows.get(req.id);
    if (done && (done.state === 'ended' || done.state === 'cancelled'))
      return { window: done, message: `already ${done.state}` };
    const w = this.current(req.id, req.version);
    this.checkRole(by, w.points.length);
    if (w.state === 'running') {
      const applied = this.end(w.id, `${by.username} ended it early`);
      this.hooks.log(`maintenance: ${by.username} ended window ${w.id} early`);
      if (applied.length > 0) this.hooks.applied(applied);
      this.changed();
      return {
        window: this.store.windows.get(w.id)!,
        message: 'ended now: its points go back to what they had before',
      };
    }
    this.store.changes.write('cancel window', () => {
      for (const p of w.points) this.store.windows.setPoint(w.id, p.pointId, 'cancelled');
      const seq = this.store.windows.setState(w.id, 'cancelled', { endedAt: iso(this.clock.now()) });
      this.audit(
        seq,
        w.id,
        w.points.map((p) => p.pointId),
        `user:${by.username}`,
        'cancelled',
        w.reason,
      );
    });
    this.hooks.log(`maintenance: ${by.username} cancelled window ${w.id}`);
    this.changed();
    return { window: this.store.windows.get(w.id)!, message: 'cancelled' };
  }

  /** A person changed these points: a running window lets go of them (it will not restore them at its end). */
  releaseChangedBy(points: { pointId: string; opVersion: number }[]): void {
    let released = 0;
    this.store.changes.write('release window points', () => {
      for (const { pointId, opVersion } of points) {
        for (const wp of this.store.windows.runningOn(pointId)) {
          if (wp.applied_op_version === opVersion) continue;
          this.store.windows.setPoint(wp.window_id, pointId, 'released');
          const seq = this.store.windows.setState(wp.window_id, 'running');
          this.audit(
            seq,
            wp.window_id,
            [pointId],
            'system',
            'released',
            'changed by a person during the window: not restored at its end',
          );
          released++;
        }
      }
    });
    if (released > 0) this.hooks.windowsChanged();
  }

  /** Starts and ends what is due now, then waits for the next. */
  runDue(): void {
    if (this.stopped || this.draining) return;
    // Many windows may fall due in the same minute: about POINTS_PER_TURN points per turn of the event loop, one
    // commit per turn, so consoles and stations are served in between. The first turn commits at once; the rest of a
    // burst share each turn's commit with the station reports of that turn (store/turnCommit.ts): one disk flush per
    // turn, not two. Windows that start together with the same reason, note, end and planner become one change (one
    // mutation, one fan-out) however many they are. Nor faster than the stations answer: at most MAX_UNANSWERED
    // changes wait for them, or the replies of thousands at once would queue ahead of everyone else's work.
    let done = 0;
    for (;;) {
      const turn = this.nextTurn(iso(this.clock.now()));
      if (turn.starts.length === 0 && turn.ends.length === 0) return this.arm();
      if (done > 0 && done + turn.points > POINTS_PER_TURN) return this.nextTurnLater();
      if (!this.stationsKeepUp()) return;
      done += turn.points;
      const applied = this.store.changes.write('windows due', () => this.apply(turn));
      this.afterTurn(turn, applied);
    }
  }

  /** Whether the stations answer fast enough to start or end more now; if not, resumes once they do. */
  private stationsKeepUp(): boolean {
    if (!this.hooks.stationsKeepUp || this.hooks.stationsKeepUp(MAX_UNANSWERED, () => this.nextTurnLater()))
      return true;
    this.draining = true;
    return false;
  }

  /** Starts and ends a turn's windows, inside the caller's transaction; returns the points whose stations must be told. */
  private apply(turn: Turn): AppliedPoint[] {
    const applied: AppliedPoint[] = [];
    for (const group of sameChange(turn.starts)) for (const a of this.begin(group)) applied.push(a);
    for (const w of turn.ends) for (const a of this.end(w.id, 'its end came')) applied.push(a);
    return applied;
  }

  /** After a turn's commit: the stations and the consoles are told. */
  private afterTurn(turn: Turn, applied: AppliedPoint[]): void {
    this.hooks.log(`maintenance: ${turn.starts.length} window(s) started, ${turn.ends.length} ended`);
    if (applied.length > 0) this.hooks.applied(applied);
    this.hooks.windowsChanged();
  }

  /** The next turn of a burst, in the turn's shared commit (store/turnCommit.ts). */
  private nextTurnLater(): void {
    this.draining = true;
    let turn: Turn | null = null;
    let applied: AppliedPoint[] = [];
    let waits = false;
    this.store.turn.join({
      name: 'windows due',
      work: () => {
        if (this.stopped) return;
        const due = this.nextTurn(iso(this.clock.now()));
        if (due.starts.length === 0 && due.ends.length === 0) return;
        if (!this.stationsKeepUp()) {
          waits = true;
          return;
        }
        applied = this.apply(due);
        turn = due;
      },
      done: (error, late) => {
        if (this.stopped || waits) return;
        this.draining = false;
        if (late) this.hooks.log(`maintenance: after a turn of windows: ${late.message}`);
        if (error) {
          // Nothing of the turn is stored: tried again in a while rather than at once, every turn.
          this.hooks.log(`maintenance: could not start or end windows: ${error.message}`);
          this.timer?.cancel();
          this.timer = this.clock.after(RETRY_MS, () => this.runDue());
          return;
        }
        if (turn === null) return this.arm();
        this.afterTurn(turn, applied);
        this.nextTurnLater();
      },
    });
  }

  /**
   * What is due now, in time order (an end before a start at the same instant), up to about POINTS_PER_TURN points
   * (a window is never split), and never the same point twice in one turn: a window that touches a point an earlier
   * one in this turn touches waits for the next turn, so each point's windows apply in order.
   */
  private nextTurn(now: string): Turn {
    const due = [
      ...this.store.windows.dueToEnd(now, WINDOWS_PER_LOOK).map((w) => ({ w, start: false })),
      ...this.store.windows.dueToStart(now, WINDOWS_PER_LOOK).map((w) => ({ w, start: true })),
    ].sort(
      (a, b) =>
        (a.start ? a.w.startsAt : a.w.endsAt!).localeCompare(b.start ? b.w.startsAt : b.w.endsAt!) ||
        Number(a.start) - Number(b.start),
    );
    const turn: Turn = { starts: [], ends: [], points: 0 };
    const touched = new Set<string>();
    for (const { w, start } of due) {
      const points = this.store.windows.pointIds(w.id, start ? 'planned' : 'applied');
      if (turn.points > 0 && (turn.points + points.length > POINTS_PER_TURN || points.some((p) => touched.has(p))))
        break;
      for (const p of points) touched.add(p);
      turn.points += Math.max(1, points.length);
      if (start) turn.starts.push({ ...w, pointIds: points });
      else turn.ends.push(w);
    }
    return turn;
  }

  private changed(): void {
    this.hooks.windowsChanged();
    this.runDue();
  }

  private arm(): void {
    this.timer?.cancel();
    this.timer = null;
    const next = this.store.windows.nextDue();
    if (next === null || this.stopped) return;
    this.timer = this.clock.after(Math.max(0, Date.parse(next) - this.clock.now()), () => this.runDue());
  }

  /**
   * Starts windows that make the same change (sameChange): one mutation over all their points, inside the caller's
   * transaction; returns the points whose stations must be told.
   */
  private begin(windows: DueStart[]): AppliedPoint[] {
    const w = windows[0];
    const owner = new Map<string, string>();
    const before = new Map<string, WindowPointPrev>();
    const targets: Mutation['targets'] = [];
    for (const win of windows) {
      for (const pointId of win.pointIds) {
        const point = this.store.points.row(pointId);
        if (!point) continue;
        owner.set(pointId, win.id);
        before.set(pointId, {
          status: point.op_status,
          reason: point.op_reason,
          note: point.op_note,
          until: point.op_until,
          untilAction: point.op_until_action,
        });
        targets.push({ pointId, baseVersion: point.op_version });
      }
    }
    const applied: AppliedPoint[] = [];
    if (targets.length > 0) {
      const result = this.store.mutations.process(
        this.mutation(`window-start-${digest(windows.map((x) => x.id))}`, targets, {
          status: 'Maintenance',
          reason: w.reason,
          note: w.note,
          until: w.endsAt,
        }),
        { username: w.createdBy, role: SYSTEM_ROLE },
      );
      for (const a of result.applied) applied.push(a);
      for (const outcome of result.outcome.points) {
        const took = outcome.result === 'applied' || outcome.result === 'unchanged';
        const windowId = owner.get(outcome.pointId)!;
        this.store.windows.setPoint(
          windowId,
          outcome.pointId,
          took ? 'applied' : 'released',
          before.get(outcome.pointId),
          outcome.operatorVersion ?? undefined,
        );
      }
    }
    const startedAt = iso(this.clock.now());
    for (const win of windows) {
      const seq = this.store.windows.setState(win.id, 'running', { startedAt });
      this.audit(seq, win.id, win.pointIds, 'system', 'started', win.reason);
    }
    return applied;
  }

  /** Ends a window: its points go back; returns the points whose stations must be told. */
  private end(id: string, why: string): AppliedPoint[] {
    const w = this.store.windows.get(id);
    if (!w || w.state !== 'running') return [];
    const held = this.store.windows.points(id).filter((p) => p.state === 'applied');
    const applied: AppliedPoint[] = [];
    this.store.changes.write('window end', () => {
      const groups = new Map<string, { prev: WindowPointRow; targets: { pointId: string; baseVersion: number }[] }>();
      for (const p of held) {
        const point = this.store.points.row(p.point_id);
        if (!point || point.op_version !== p.applied_op_version || p.prev_status === null) {
          this.store.windows.setPoint(id, p.point_id, 'released');
          continue;
        }
        const key = JSON.stringify([p.prev_status, p.prev_reason, p.prev_note, p.prev_until, p.prev_until_action]);
        const group = groups.get(key) ?? { prev: p, targets: [] };
        group.targets.push({ pointId: p.point_id, baseVersion: point.op_version });
        groups.set(key, group);
      }
      let n = 0;
      for (const { prev, targets } of groups.values()) {
        const result = this.store.mutations.process(
          this.mutation(`window-${id}-end-${n++}`, targets, {
            status: prev.prev_status!,
            reason: prev.prev_reason,
            note: prev.prev_note,
            until: prev.prev_until,
            ...(prev.prev_until && prev.prev_until_action ? { untilAction: prev.prev_until_action } : {}),
          }),
          { username: w.createdBy, role: SYSTEM_ROLE },
        );
        for (const a of result.applied) applied.push(a);
        for (const outcome of result.outcome.points) {
          const back = outcome.result === 'applied' || outcome.result === 'unchanged';
          this.store.windows.setPoint(id, outcome.pointId, back ? 'restored' : 'released');
        }
      }
      const seq = this.store.windows.setState(id, 'ended', { endedAt: iso(this.clock.now()) });
      this.audit(
        seq,
        id,
        held.map((p) => p.point_id),
        'system',
        'ended',
        why,
      );
    });
    return applied;
  }

  /** One history entry per point: fact window, to = what happened, note = the window's id. */
  private audit(seq: number, windowId: string, pointIds: string[], actor: string, what: string, reason: string): void {
    const at = iso(this.clock.now());
    for (const pointId of pointIds) {
      this.store.audit.insert({
        seq,
        pointId,
        at,
        actor,
        fact: 'window',
        from: null,
        to: what,
        reason,
        note: windowId,
      });
    }
  }

  private mutation(id: string, targets: Mutation['targets'], edit: Mutation['edit']): Mutation {
    return { id, kind: 'setStatus', targets, edit, createdAt: iso(this.clock.now()) };
  }

  private current(id: string, version: number): MaintenanceWindow {
    const w = this.store.windows.get(id);
    if (!w) throw new WindowError('notFound', `no window ${id}`);
    if (w.version !== version) throw new WindowError('conflict', 'the window was changed since: look at it again');
    return w;
  }

  private checkRole(by: Planner, points: number): void {
    if (!roleAllows(by.role, 'edit')) throw new WindowError('forbidden', `a ${by.role} may not plan maintenance`);
    if (points > 1 && !roleAllows(by.role, 'bulkEdit')) {
      throw new WindowError(
        'forbidden',
        `a ${by.role} may plan maintenance for one point at a time (bulk windows need a supervisor)`,
      );
    }
  }

  /**
   * Refuses a window that would hold a point another planned or running window holds over part of the same time,
   * naming that window (the first found, in the order of the points), the points the two share, and when they meet.
   */
  private refuseOverlaps(windowId: string, pointIds: string[], startsAt: string, endsAt: string | null): void {
    for (const pointId of pointIds) {
      const found = this.store.windows.overlapping(pointId, windowId, startsAt, endsAt);
      if (!found) continue;
      const other = this.store.windows.get(found.id);
      if (!other || (other.state !== 'planned' && other.state !== 'running')) continue;
      const held = new Set(
        other.points.filter((p) => p.state === 'planned' || p.state === 'applied').map((p) => p.pointId),
      );
      const shared = pointIds.filter((id) => held.has(id));
      throw overlapError({ ...other, state: other.state }, shared, startsAt, endsAt);
    }
  }
}

/** The refusal of a window that overlaps `other` on `shared` points: a sentence, and the same facts as fields. */
function overlapError(
  other: MaintenanceWindow & { state: WindowOverlap['state'] },
  shared: string[],
  startsAt: string,
  endsAt: string | null,
): WindowError {
  const later = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);
  const earlier = (a: string | null, b: string | null) =>
    a === null ? b : b === null ? a : Date.parse(a) <= Date.parse(b) ? a : b;
  const overlap: WindowOverlap = {
    windowId: other.id,
    reason: other.reason,
    startsAt: other.startsAt,
    endsAt: other.endsAt,
    state: other.state,
    pointIds: shared.slice(0, MAX_OVERLAP_POINTS),
    pointCount: shared.length,
    from: later(startsAt, other.startsAt),
    until: earlier(endsAt, other.endsAt),
  };
  const points = shared.length === 1 ? shared[0] : `${shared[0]} and ${shared.length - 1} more point(s)`;
  const until = other.endsAt ? `until ${other.endsAt}` : 'open-ended';
  return new WindowError(
    'conflict',
    `${points} ${shared.length === 1 ? 'is' : 'are'} already in the window "${other.reason}" (${other.id}, from ${other.startsAt}, ${until})`,
    overlap,
  );
}
