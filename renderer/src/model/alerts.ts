// Alerts as the Alerts panel, the header and the grid see them: kept by id from the core's `alerts` events, grouped
// into open, acknowledged and resolved today, counted, and the points each one marks. Pure.
import {
  ALERT_LABELS,
  type Alert,
  type AlertKind,
  type AlertRules,
  type AlertRulesState,
  type AlertState,
} from '../../../common/alerts.js';

/** Applies an `alerts` event (or the getAlerts answer): full replaces, else merges. Says whether anything changed. */
export function mergeAlerts(into: Map<string, Alert>, full: boolean, alerts: readonly Alert[]): boolean {
  let changed = false;
  if (full) {
    const ids = new Set(alerts.map((a) => a.id));
    for (const id of into.keys()) {
      if (!ids.has(id)) {
        into.delete(id);
        changed = true;
      }
    }
  }
  for (const a of alerts) {
    const had = into.get(a.id);
    if (had && had.version >= a.version) continue;
    into.set(a.id, a);
    changed = true;
  }
  return changed;
}

export interface AlertGroups {
  open: Alert[];
  acknowledged: Alert[];
  /** Resolved since local midnight. */
  resolvedToday: Alert[];
}

/** Newest raised first; resolved ones by when they were resolved. */
export function groupAlerts(alerts: Iterable<Alert>, nowMs: number): AlertGroups {
  const midnight = new Date(nowMs);
  midnight.setHours(0, 0, 0, 0);
  const groups: AlertGroups = { open: [], acknowledged: [], resolvedToday: [] };
  for (const a of alerts) {
    if (a.state === 'open') groups.open.push(a);
    else if (a.state === 'acknowledged') groups.acknowledged.push(a);
    else if (a.resolvedAt && Date.parse(a.resolvedAt) >= midnight.getTime()) groups.resolvedToday.push(a);
  }
  const byRaised = (x: Alert, y: Alert) => y.raisedAt.localeCompare(x.raisedAt) || x.id.localeCompare(y.id);
  groups.open.sort(byRaised);
  groups.acknowledged.sort(byRaised);
  groups.resolvedToday.sort(
    (x, y) => (y.resolvedAt ?? '').localeCompare(x.resolvedAt ?? '') || x.id.localeCompare(y.id),
  );
  return groups;
}

/** The panel's order, for the arrow keys: open, then acknowledged, then resolved today. */
export const inPanelOrder = (g: AlertGroups): Alert[] => [...g.open, ...g.acknowledged, ...g.resolvedToday];

/**
 * Point id → the state of the alert that marks its row (open outranks acknowledged). A station's alert marks every
 * point of the station. Resolved alerts mark nothing.
 */
export function alertedPoints(
  alerts: Iterable<Alert>,
  pointsOfStation: (stationId: string) => readonly string[],
): Map<string, AlertState> {
  const marks = new Map<string, AlertState>();
  const mark = (id: string, state: AlertState) => {
    if (marks.get(id) !== 'open') marks.set(id, state);
  };
  for (const a of alerts) {
    if (a.state === 'resolved') continue;
    if (a.pointId) mark(a.pointId, a.state);
    else for (const id of pointsOfStation(a.stationId)) mark(id, a.state);
  }
  return marks;
}

/** The point an alert opens: its own, or the first of its station's. */
export function alertTarget(a: Alert, pointsOfStation: (stationId: string) => readonly string[]): string | null {
  return a.pointId ?? pointsOfStation(a.stationId)[0] ?? null;
}

// ---- the rules editor: durations are edited in minutes, kept in milliseconds ----

export type RulesForm = Record<keyof AlertRules, string>;
const MS_FIELDS = new Set<keyof AlertRules>([
  'faultedHoldOffMs',
  'offlineHoldOffMs',
  'scheduledHoldOffMs',
  'overdueHoldOffMs',
  'flapWindowMs',
]);
export const isDurationField = (k: keyof AlertRules): boolean => MS_FIELDS.has(k);

export function rulesToForm(rules: AlertRules): RulesForm {
  const out = {} as RulesForm;
  for (const k of Object.keys(rules) as (keyof AlertRules)[])
    out[k] = String(MS_FIELDS.has(k) ? rules[k] / 60_000 : rules[k]);
  return out;
}

/** The rules a form says, or what is wrong with it (field → words). The backend checks them again. */
export function formToRules(
  form: RulesForm,
): { rules: AlertRules } | { problems: Partial<Record<keyof AlertRules, string>> } {
  const problems: Partial<Record<keyof AlertRules, string>> = {};
  const rules = {} as AlertRules;
  for (const k of Object.keys(form) as (keyof AlertRules)[]) {
    const n = Number(form[k].trim().replace(',', '.'));
    if (form[k].trim() === '' || !Number.isFinite(n) || n < 0) {
      problems[k] = 'a number, 0 or more';
      continue;
    }
    rules[k] = MS_FIELDS.has(k) ? Math.round(n * 60_000) : Math.round(n);
  }
  if (!problems.flapCount && rules.flapCount < 2) problems.flapCount = 'at least 2';
  if (!problems.flapWindowMs && rules.flapWindowMs < 60_000) problems.flapWindowMs = 'at least 1 minute';
  for (const k of MS_FIELDS)
    if (!problems[k] && rules[k] > 24 * 3600_000) problems[k] = 'at most 24 hours (1440 minutes)';
  if (!problems.flapCount && rules.flapCount > 100) problems.flapCount = 'at most 100';
  return Object.keys(problems).length > 0 ? { problems } : { rules };
}

/** "2 min", "90 s", "1 h 30 min". */
export function duration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  return min % 60 ? `${Math.floor(min / 60)} h ${min % 60} min` : `${min / 60} h`;
}

/** An alert's history entry in words: "raised: pointFaulted" reads "raised: point faulted". */
export function alertHistoryWord(to: string): string {
  const kind = to.startsWith('raised: ') ? to.slice(8) : null;
  if (kind && kind in ALERT_LABELS) return `raised: ${ALERT_LABELS[kind as AlertKind].toLowerCase()}`;
  return to;
}

/**
 * The alerts and rules as the renderer keeps them from the core's getAlerts answer and its `alerts` events. An event
 * may overtake an answer still on its way: the answer is then merged by version (it cannot undo what the event
 * said, and still brings the alerts the event did not carry), and its rules are taken unless an event brought newer.
 */
export class AlertsFeed {
  readonly alerts = new Map<string, Alert>();
  rules: AlertRulesState | null = null;
  private loads = 0;
  private events = 0;
  private ruleEvents = 0;

  /** A getAlerts call starts: pass what this returns to answered(). */
  loading(): { load: number; events: number; ruleEvents: number } {
    return { load: ++this.loads, events: this.events, ruleEvents: this.ruleEvents };
  }

  /** Says whether anything changed. */
  answered(
    from: { load: number; events: number; ruleEvents: number },
    view: { alerts: readonly Alert[]; rules?: AlertRulesState | null },
  ): boolean {
    if (from.load !== this.loads) return false; // a newer load (after a reset) answers instead
    const overtaken = from.events !== this.events;
    let changed = mergeAlerts(this.alerts, !overtaken, view.alerts);
    if (view.rules && from.ruleEvents === this.ruleEvents) changed = this.setRules(view.rules) || changed;
    return changed;
  }

  /** Says whether anything changed. */
  event(view: { full: boolean; alerts: readonly Alert[]; rules?: AlertRulesState | null }): boolean {
    this.events++;
    let changed = mergeAlerts(this.alerts, view.full, view.alerts);
    if (view.rules) {
      this.ruleEvents++;
      changed = this.setRules(view.rules) || changed;
    }
    return changed;
  }

  /** Another network: nothing is kept. */
  reset(): void {
    this.alerts.clear();
    this.rules = null;
    this.loads++;
  }

  private setRules(rules: AlertRulesState): boolean {
    if (this.rules === rules) return false;
    this.rules = rules;
    return true;
  }
}
