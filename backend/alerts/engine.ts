// The alert rules, run by the backend on its clock (so they fire with no console open): a point Faulted longer than
// a hold-off, a station Offline or Silent longer than a hold-off, a change its station did not confirm, a change
// Scheduled too long, maintenance overdue (past its expected end, or not back after its window). A condition
// that keeps coming back (flapping) collapses into one alert that says so; nothing is raised for points inside a
// running maintenance window; an alert resolves itself when its condition clears.
import type { Alert, AlertItemAction, AlertKind, AlertRules } from '../../common/alerts.js';
import { DEFAULT_ALERT_RULES } from '../../common/alerts.js';
import type { Clock, TimerHandle } from '../../common/clock.js';
import type { Role } from '../../common/model.js';
import { roleAllows } from '../../common/model.js';
import type { LivenessState } from '../../common/status.js';
import type { Store } from '../store/index.js';
import type { PointCondition, PointPlan } from '../store/alerts.js';
import { AlertError } from './alertError.js';

export { AlertError };

export interface AlertHooks {
  /** Alerts changed: the consoles must hear. */
  changed(): void;
  log(line: string): void;
  /**
   * Several instances: whether this one leads. Alerts are raised once, by the leader; elsewhere a raise waits on the
   * (leader) clock and happens only if this instance takes the lead while its condition still holds. Default: leads.
   */
  leads?(): boolean;
}

interface Context {
  kind: AlertKind;
  pointId: string | null;
  stationId: string;
  siteId: string;
  evidence: string;
}

/** How a condition is watched, beyond on or off. */
interface Watch {
  /** When it began, when that is known and not now (a change's scheduling, an expected end still to come). */
  sinceAt?: number;
  /** What exactly holds (a change's operator version): another tag is a new condition, the old one superseded. */
  tag?: string;
  /** false: never collapses into a flapping alert (conditions people make, not stations). */
  flaps?: boolean;
}

interface Subject {
  /** When the condition began (null: it does not hold now); may be ahead of now (an expected end to come). */
  since: number | null;
  tag: string | undefined;
  /** When it began, within the flapping window. */
  starts: number[];
  timer: TimerHandle | null;
  ctx: Context;
}

const iso = (t: number) => new Date(t).toISOString();
/** How often the rules look at the points that changed. */
const SCAN_MS = 1000;
/**
 * The most points one look takes in one go: the rest follow in the next turns of the event loop, so that thousands of
 * changes a second never hold the backend (its consoles' edits, its stations) for tens of milliseconds at a time.
 */
export const SCAN_SLICE = 250;
/** The most alerts raised in one transaction: hold-offs that end together beyond this are raised a turn at a time. */
export const RAISES_PER_TURN = 250;
const OVERDUE_STATUSES = new Set(['OutOfService', 'Maintenance']);
/** A stored ISO time as evidence reads it: '2026-01-05 08:00 UTC'. */
const inWords = (t: string | null | undefined): string =>
  t && !Number.isNaN(Date.parse(t))
    ? `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`
    : 'an unknown time';

/** The hold-off of a kind under the rules. */
function holdOffOf(kind: AlertKind, rules: AlertRules): number {
  switch (kind) {
    case 'pointFaulted':
      return rules.faultedHoldOffMs;
    case 'stationOffline':
      return rules.offlineHoldOffMs;
    case 'scheduledTooLong':
      return rules.scheduledHoldOffMs;
    case 'maintenanceOverdue':
      return rules.overdueHoldOffMs;
    case 'changeNotConfirmed':
      return 0;
  }
}

export class AlertEngine {
  private readonly subjects = new Map<string, Subject>();
  private readonly dueRaises = new Set<string>();
  private stopped = false;
  private lastSeq = 0;
  /** The store's seq at the last scan: nothing committed since, nothing to read (a query a second on PostgreSQL). */
  private scannedSeq = -1;
  private readonly scan: TimerHandle;
  private nextSlice: TimerHandle | null = null;
  /** A slice could not be stored: the rules look at every point again at the next scan. */
  private startOver = false;
  private current: AlertRules;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    rules: Partial<AlertRules>,
    private readonly hooks: AlertHooks,
  ) {
    this.current = { ...DEFAULT_ALERT_RULES, ...rules };
    this.scan = clock.every(SCAN_MS, () => this.scanPoints());
  }

  /** At start: every point as it is now (a fault that held through a restart starts its hold-off anew), and open
   * alerts whose condition cleared while the backend was down are resolved. */
  start(): void {
    while (this.scanSlice() === SCAN_SLICE);
    for (const a of this.store.alerts.current(iso(this.clock.now()))) {
      if (a.state !== 'resolved' && this.subjects.get(subjectOf(a))?.since == null && a.kind !== 'stationOffline') {
        this.resolve(a, 'system', 'cleared while the backend was down');
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.dueRaises.clear();
    this.scan.cancel();
    this.nextSlice?.cancel();
    for (const s of this.subjects.values()) s.timer?.cancel();
  }

  get rules(): AlertRules {
    return this.current;
  }

  /**
   * New rules apply at once: hold-offs still running end at their start plus the new hold-off (at once if that has
   * passed); flapping counts from the next raise on.
   */
  setRules(rules: AlertRules): void {
    this.current = { ...rules };
    const now = this.clock.now();
    for (const [key, s] of this.subjects) {
      if (s.since === null || s.timer === null || s.ctx.kind === 'changeNotConfirmed') continue;
      s.timer.cancel();
      s.timer = null;
      const left = s.since + holdOffOf(s.ctx.kind, rules) - now;
      if (left <= 0) {
        this.raiseSoon(key);
        continue;
      }
      s.timer = this.clock.after(left, () => {
        s.timer = null;
        if (s.since !== null) this.raiseSoon(key);
      });
    }
  }

  /** A station's liveness changed (from the liveness monitor). */
  stationChanged(stationId: string, state: LivenessState): void {
    const points = this.store.alerts.pointsOfStation(stationId);
    const ctx: Context = {
      kind: 'stationOffline',
      pointId: null,
      stationId,
      siteId: points[0]?.site_id ?? 'unassigned',
      evidence: `station ${state === 'silent' ? 'silent: connected but saying nothing' : 'offline'} (${points.length} point${points.length === 1 ? '' : 's'})`,
    };
    this.condition(`station:${stationId}:offline`, state !== 'online', ctx, this.rules.offlineHoldOffMs);
  }

  /** A person acknowledges, assigns or resolves an alert. */
  act(req: AlertItemAction, by: { username: string; role: Role }): Alert {
    if (!roleAllows(by.role, 'edit'))
      throw new AlertError('forbidden', `a ${by.role} may see alerts but not ${req.action} them`);
    const a = this.store.alerts.get(req.id);
    if (!a) throw new AlertError('notFound', `no alert ${req.id}`);
    if (a.version !== req.version) throw new AlertError('conflict', 'the alert was changed since: look at it again');
    const now = iso(this.clock.now());
    if (a.state === 'resolved') throw new AlertError('invalid', 'the alert is resolved already');
    let next: Alert;
    let what: string;
    if (req.action === 'acknowledge') {
      next = { ...a, state: 'acknowledged', acknowledgedBy: by.username, acknowledgedAt: now };
      what = 'acknowledged';
    } else if (req.action === 'assign') {
      next = { ...a, assignedTo: req.assignee ?? null };
      what = req.assignee ? `assigned to ${req.assignee}` : 'unassigned';
    } else {
      if (!req.note) throw new AlertError('invalid', 'resolving an alert needs a note saying why');
      next = { ...a, state: 'resolved', resolvedBy: by.username, resolvedAt: now, resolution: req.note };
      what = 'resolved';
    }
    const saved = this.store.alerts.save(next, `user:${by.username}`, what, now, this.auditPoints(a));
    this.hooks.changed();
    return saved;
  }

  /** Looks at every point changed since the last look, SCAN_SLICE at a time, a slice a turn. */
  scanPoints(): void {
    if (this.nextSlice) return;
    if (this.startOver) {
      this.startOver = false;
      return this.lookAgainFromScratch();
    }
    if (this.scanSlice() < SCAN_SLICE) return;
    this.nextSlice = this.clock.after(0, () => {
      this.nextSlice = null;
      this.scanPoints();
    });
  }

  /** Looks at the next SCAN_SLICE points changed since the last look; returns how many it took. */
  private scanSlice(): number {
    if (this.store.seq === this.scannedSeq) return 0;
    const seq = this.store.seq;
    const changed = this.store.alerts.pointsChangedSince(this.lastSeq, SCAN_SLICE);
    // Inside a transaction the seq may still be rolled back (and taken again by other changes): not remembered then.
    if (changed.length < SCAN_SLICE) this.scannedSeq = this.store.db.inTransaction ? -1 : seq;
    if (changed.length === 0) return 0;
    const upTo = changed[changed.length - 1].seq;
    const plans = new Map(this.store.alerts.plansChangedSince(this.lastSeq, upTo).map((p) => [p.id, p]));
    this.lastSeq = upTo;
    const lookAtSlice = () => {
      for (const p of changed) {
        this.point(p);
        const plan = plans.get(p.id);
        if (plan) this.plan(p, plan);
      }
    };
    // On SQLite what the slice raises, raises again and resolves shares one commit: under a load of faults and
    // flapping points that was hundreds of commits a second, each waiting for the disk on the event loop
    // (docs/performance.md, 2026-12-06). Not on PostgreSQL: there the first write takes the cluster's seq lock, and
    // holding it while the rest of the slice is looked at kept the other instances' writes waiting. Nor on SQLite with
    // the station writer thread: each slice's turn to write ended the thread's transaction early, and most slices
    // write nothing (ocpp/stationWriter.ts).
    try {
      if (this.store.db.dialect === 'sqlite' && !this.store.db.sharedWrites)
        this.store.changes.write('alert scan', lookAtSlice);
      else lookAtSlice();
    } catch (error) {
      // What the slice wrote is not (all) stored, while what the rules remember of its points has moved on: at the
      // next scan they start over from every point, as after a restart.
      this.startOver = true;
      throw error;
    }
    return changed.length;
  }

  /** The scheduled and overdue rules: what a person asked of the point, and whether it happened in time. */
  private plan(p: PointCondition, plan: PointPlan): void {
    const base = { pointId: p.id, stationId: p.station_id, siteId: p.site_id };
    const asked = () =>
      `${plan.op_status}${plan.op_reason ? ` (${plan.op_reason})` : ''} asked by ${plan.op_by ?? 'someone'} at ${inWords(plan.op_at)}`;
    // The store stamps deliveries on the wall clock: never later than the rules' own now.
    const scheduledAt = plan.delivery_at ? Math.min(Date.parse(plan.delivery_at), this.clock.now()) : undefined;
    this.condition(
      `point:${p.id}:scheduled`,
      p.delivery_state === 'scheduled',
      () => ({
        ...base,
        kind: 'scheduledTooLong',
        evidence: `${asked()}; the station answered Scheduled${plan.delivery_at ? ` at ${inWords(plan.delivery_at)}` : ''} (a session is running) and has not applied it`,
      }),
      this.rules.scheduledHoldOffMs,
      { sinceAt: scheduledAt, tag: String(plan.op_version), flaps: false },
    );
    const until = plan.op_until ? Date.parse(plan.op_until) : NaN;
    const remindOnly =
      OVERDUE_STATUSES.has(plan.op_status) && !Number.isNaN(until) && plan.op_until_action !== 'revert';
    const window = plan.ended_window && !remindOnly ? this.store.windows.get(plan.ended_window) : null;
    const notBack = window !== null && p.delivery_state !== 'confirmed' && p.delivery_state !== 'overrideOnly';
    const windowEnd = window ? Date.parse(window.endsAt ?? window.endedAt ?? '') : NaN;
    this.condition(
      `point:${p.id}:overdue`,
      remindOnly || notBack,
      () => ({
        ...base,
        kind: 'maintenanceOverdue',
        evidence: remindOnly
          ? `${asked()}, expected to end at ${inWords(plan.op_until)}; the point is still ${plan.op_status}`
          : `maintenance window "${window?.reason}" ended at ${inWords(window?.endsAt ?? window?.endedAt)}; the point is not back: the change back is ${p.delivery_state}${p.delivery_detail ? ` (${p.delivery_detail})` : ''}`,
      }),
      this.rules.overdueHoldOffMs,
      {
        sinceAt: remindOnly ? until : Number.isNaN(windowEnd) ? undefined : windowEnd,
        tag: remindOnly
          ? `until:${plan.op_version}:${plan.op_until}`
          : `window:${plan.ended_window}:${plan.op_version}`,
        flaps: false,
      },
    );
  }

  private point(p: PointCondition): void {
    const base = { pointId: p.id, stationId: p.station_id, siteId: p.site_id };
    this.condition(
      `point:${p.id}:faulted`,
      p.reported_status === 'Faulted',
      () => {
        const fault = [p.reported_error_code, p.reported_info].filter((x) => x && x !== 'NoError').join(' · ');
        return { ...base, kind: 'pointFaulted', evidence: `station reported Faulted${fault ? `: ${fault}` : ''}` };
      },
      this.rules.faultedHoldOffMs,
    );
    this.condition(
      `point:${p.id}:notConfirmed`,
      p.delivery_state === 'notConfirmed',
      () => ({
        ...base,
        kind: 'changeNotConfirmed',
        evidence: p.delivery_detail ?? 'the station did not confirm the change',
      }),
      0,
    );
  }

  /** ctx may be given as a function: built only when the condition holds or its subject is remembered (most changed
   * points have neither, and their evidence is never built). */
  private condition(
    key: string,
    on: boolean,
    context: Context | (() => Context),
    holdOffMs: number,
    watch: Watch = {},
  ): void {
    const now = this.clock.now();
    let s = this.subjects.get(key);
    if (!s && !on) return; // nothing was wrong, nothing is
    const ctx = typeof context === 'function' ? context() : context;
    if (!s) {
      s = { since: null, tag: watch.tag, starts: [], timer: null, ctx };
      this.subjects.set(key, s);
    }
    if (on && s.since !== null && s.tag !== watch.tag) {
      this.cleared(key, s, 'superseded: the change was replaced or its end moved');
      this.subjects.set(key, s);
    }
    s.ctx = ctx;
    if (on) {
      if (s.since !== null) return;
      s.since = watch.sinceAt !== undefined && Number.isFinite(watch.sinceAt) ? watch.sinceAt : now;
      s.tag = watch.tag;
      s.timer?.cancel();
      s.timer = null;
      if (watch.flaps !== false) {
        s.starts = [...s.starts.filter((t) => now - t < this.rules.flapWindowMs), now];
        if (s.starts.length >= this.rules.flapCount) return this.raiseNow(key, s, true);
      }
      const left = s.since + holdOffMs - now;
      if (left <= 0) return this.raiseNow(key, s, false);
      s.timer = this.clock.after(left, () => {
        s!.timer = null;
        if (s!.since !== null) this.raiseSoon(key);
      });
      return;
    }
    this.cleared(key, s, 'cleared: the condition ended');
  }

  /** The condition no longer holds: its open alert resolves (a flapping one after a calm window). */
  private cleared(key: string, s: Subject, why: string): void {
    if (s.since === null) return;
    s.since = null;
    s.timer?.cancel();
    s.timer = null;
    const open = this.store.alerts.openFor(key);
    if (!open) return this.forgetIfQuiet(key, s);
    if (open.raises < this.rules.flapCount) return this.resolve(open, 'system', why);
    // A flapping alert resolves after a calm flapping window, not at the first good moment.
    s.timer = this.clock.after(this.rules.flapWindowMs, () => {
      s!.timer = null;
      const still = this.store.alerts.openFor(key);
      if (s!.since === null && still)
        this.resolve(still, 'system', `cleared: calm for ${Math.round(this.rules.flapWindowMs / 60_000)} min`);
    });
  }

  /**
   * Hold-offs that end together (a thousand points that faulted in the same second) raise their alerts in one
   * transaction at the end of the turn, RAISES_PER_TURN at most: one commit instead of one each, and never seconds of
   * the event loop at once.
   */
  private raiseSoon(key: string): void {
    if (this.stopped) return;
    if (!this.leading()) return this.raiseIfLeading(key, () => this.raiseSoon(key));
    this.dueRaises.add(key);
    if (this.dueRaises.size === 1) setImmediate(() => this.raiseDue());
  }

  private raiseDue(): void {
    if (this.stopped) return;
    const keys = [...this.dueRaises].slice(0, RAISES_PER_TURN);
    for (const k of keys) this.dueRaises.delete(k);
    this.store.changes.write('alerts raised', () => {
      for (const k of keys) {
        const s = this.subjects.get(k);
        if (s && s.since !== null) this.raise(k, s, false, false);
      }
    });
    this.hooks.changed();
    if (this.dueRaises.size > 0) setImmediate(() => this.raiseDue());
  }

  private raiseNow(key: string, s: Subject, flapping: boolean): void {
    if (!this.leading()) return this.raiseIfLeading(key, () => this.raiseNow(key, s, flapping));
    this.raise(key, s, flapping);
  }

  private leading(): boolean {
    return this.hooks.leads?.() ?? true;
  }

  /** Another instance leads and raises: this one raises only if it takes the lead while the condition holds. */
  private raiseIfLeading(key: string, raise: () => void): void {
    const s = this.subjects.get(key);
    if (!s) return;
    s.timer?.cancel();
    s.timer = this.clock.after(0, () => {
      s.timer = null;
      if (s.since !== null) raise();
    });
  }

  private raise(key: string, s: Subject, flapping: boolean, tell = true): void {
    if (this.muted(s.ctx)) return;
    const now = this.clock.now();
    const open = this.store.alerts.openFor(key);
    const evidence = flapping
      ? `flapping: ${s.starts.length} times in ${Math.round(this.rules.flapWindowMs / 60_000)} min; ${s.ctx.evidence}`
      : s.ctx.evidence;
    if (open) {
      const raises = flapping ? Math.max(open.raises, s.starts.length) : open.raises + 1;
      this.store.alerts.save(
        { ...open, evidence: evidence.slice(0, 1000), raises },
        'system',
        flapping ? 'flapping' : 'raised again',
        iso(now),
        this.auditPoints(open),
      );
    } else {
      const a = this.store.alerts.raise(
        {
          kind: s.ctx.kind,
          subject: key,
          pointId: s.ctx.pointId,
          stationId: s.ctx.stationId,
          siteId: s.ctx.siteId,
          since: iso(s.since ?? now),
          evidence: evidence.slice(0, 1000),
          raises: flapping ? s.starts.length : 1,
        },
        iso(now),
        s.ctx.pointId ? [s.ctx.pointId] : this.store.alerts.pointsOfStation(s.ctx.stationId).map((p) => p.id),
      );
      this.hooks.log(`alert: ${a.kind} ${a.pointId ?? a.stationId}${flapping ? ' (flapping)' : ''}`);
    }
    if (tell) this.hooks.changed();
  }

  private resolve(a: Alert, by: string, why: string): void {
    const now = iso(this.clock.now());
    this.store.alerts.save(
      { ...a, state: 'resolved', resolvedBy: by, resolvedAt: now, resolution: why },
      by,
      'resolved',
      now,
      this.auditPoints(a),
    );
    this.hooks.changed();
  }

  /** Nothing raised for a point in a running maintenance window, nor for a station whose points all are. */
  private muted(ctx: Context): boolean {
    const inWindow = (pointId: string) => this.store.windows.runningOn(pointId).length > 0;
    if (ctx.pointId) return inWindow(ctx.pointId);
    const points = this.store.alerts.pointsOfStation(ctx.stationId);
    return points.length > 0 && points.every((p) => inWindow(p.id));
  }

  private auditPoints(a: Alert): string[] {
    return a.pointId ? [a.pointId] : this.store.alerts.pointsOfStation(a.stationId).map((p) => p.id);
  }

  /** Forgets what the rules followed of every point and looks at them all again (start()). */
  private lookAgainFromScratch(): void {
    for (const [key, s] of this.subjects) {
      if (!key.startsWith('point:')) continue;
      s.timer?.cancel();
      this.subjects.delete(key);
    }
    this.lastSeq = 0;
    this.scannedSeq = -1;
    this.start();
  }

  private forgetIfQuiet(key: string, s: Subject): void {
    if (s.starts.every((t) => this.clock.now() - t >= this.rules.flapWindowMs)) this.subjects.delete(key);
  }
}

const SUBJECT_OF_KIND: Record<Exclude<AlertKind, 'stationOffline'>, string> = {
  pointFaulted: 'faulted',
  changeNotConfirmed: 'notConfirmed',
  scheduledTooLong: 'scheduled',
  maintenanceOverdue: 'overdue',
};

function subjectOf(a: Alert): string {
  if (a.kind === 'stationOffline') return `station:${a.stationId}:offline`;
  return `point:${a.pointId}:${SUBJECT_OF_KIND[a.kind]}`;
}
