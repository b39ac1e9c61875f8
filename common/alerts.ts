// Alerts: records with a life (raised with evidence, acknowledged, assigned, resolved), raised by the backend's rules
// so they fire with no console open. Shapes shared by all sides.
import { z } from 'zod';
import { ROLES, type Role } from './model.js';

const isoTime = z.iso.datetime({ offset: true });

/** What an alert is about. */
export const ALERT_KINDS = [
  'pointFaulted',
  'stationOffline',
  'changeNotConfirmed',
  'scheduledTooLong',
  'maintenanceOverdue',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_LABELS: Record<AlertKind, string> = {
  pointFaulted: 'Point faulted',
  stationOffline: 'Station offline or silent',
  changeNotConfirmed: 'Change not confirmed by the station',
  scheduledTooLong: 'Change scheduled too long',
  maintenanceOverdue: 'Maintenance overdue',
};

export const alertSchema = z.object({
  id: z.string(),
  kind: z.enum(ALERT_KINDS),
  /** The point it is about (null for a station as a whole). */
  pointId: z.string().nullable(),
  stationId: z.string(),
  siteId: z.string(),
  state: z.enum(ALERT_STATES),
  /** Since when the condition holds (before the hold-off). */
  since: isoTime,
  raisedAt: isoTime,
  /** What the backend saw: error code and vendor info of a fault, the delivery detail, the liveness. */
  evidence: z.string().max(1000),
  /** Times the condition came back within the flapping window: more than one means the alert collapses a flapping. */
  raises: z.number().int().positive(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: isoTime.nullable(),
  assignedTo: z.string().max(100).nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: isoTime.nullable(),
  resolution: z.string().max(1000).nullable(),
  version: z.number().int().positive(),
});
export type Alert = z.infer<typeof alertSchema>;

const MIN = 60_000;
const duration = (min: number, max: number) => z.number().int().min(min).max(max);

/** How alerts are raised: hold-offs and flapping (docs/protocol.md "Alerts"). Supervisors change them. */
export const alertRulesSchema = z
  .object({
    /** A point Faulted for longer than this raises an alert. Default 2 minutes. */
    faultedHoldOffMs: duration(0, 24 * 60 * MIN),
    /** A station Offline or Silent for longer than this raises an alert. Default 2 minutes. */
    offlineHoldOffMs: duration(0, 24 * 60 * MIN),
    /** A change the station answered Scheduled and has not applied after this long raises an alert. Default 2 hours
     * (before the delivery's own 4-hour limit, when the change becomes "not confirmed" and this alert gives way). */
    scheduledHoldOffMs: duration(0, 24 * 60 * MIN),
    /** A point still Out of Service or in Maintenance this long after its expected end, or not back this long after
     * its maintenance window ended, raises an alert. Default 10 minutes. */
    overdueHoldOffMs: duration(0, 24 * 60 * MIN),
    /** This many raises for one subject within flapWindowMs collapse into the open alert. Default 5 in 10 minutes. */
    flapCount: z.number().int().min(2).max(100),
    flapWindowMs: duration(MIN, 24 * 60 * MIN),
  })
  .strict();
export type AlertRules = z.infer<typeof alertRulesSchema>;

export const DEFAULT_ALERT_RULES: AlertRules = {
  faultedHoldOffMs: 2 * MIN,
  offlineHoldOffMs: 2 * MIN,
  scheduledHoldOffMs: 120 * MIN,
  overdueHoldOffMs: 10 * MIN,
  flapCount: 5,
  flapWindowMs: 10 * MIN,
};

export const ALERT_RULE_LABELS: Record<keyof AlertRules, string> = {
  faultedHoldOffMs: 'A point faulted for longer than',
  offlineHoldOffMs: 'A station offline or silent for longer than',
  scheduledHoldOffMs: 'A change scheduled (waiting for a session to end) for longer than',
  overdueHoldOffMs: 'Maintenance overdue (past its expected end or window) by more than',
  flapCount: 'Flapping: raised this many times',
  flapWindowMs: 'Flapping: within',
};

/** The rules in force, and who changed them last (null: the defaults, never changed). */
export const alertRulesStateSchema = z.object({
  rules: alertRulesSchema,
  /** 0 until first changed; each change adds one (a change based on an older version is a conflict). */
  version: z.number().int().nonnegative(),
  changedBy: z.string().nullable(),
  changedAt: isoTime.nullable(),
});
export type AlertRulesState = z.infer<typeof alertRulesStateSchema>;

export const alertsRequestSchema = z.object({}).strict();

/** Open and acknowledged alerts, and those resolved in the last 24 hours. */
export const alertsSchema = z.object({
  networkId: z.string(),
  full: z.boolean(),
  alerts: z.array(alertSchema).max(100_000),
  /** The rules in force: with every full list, and alone (no alerts) when a supervisor changed them. */
  rules: alertRulesStateSchema.optional(),
});
export type Alerts = z.infer<typeof alertsSchema>;

/** The longest assignee and resolution note a person may give (the alert form's fields take them from here). */
export const ALERT_LIMITS = { assignee: 100, note: 1000 } as const;

/** What a person does about one alert (operators and above). */
export const alertItemActionSchema = z
  .object({
    id: z.string().min(1).max(100),
    /** The version the person saw: a newer change in between is a conflict. */
    version: z.number().int().positive(),
    action: z.enum(['acknowledge', 'assign', 'resolve']),
    /** assign: who (a username); null unassigns. */
    assignee: z.string().trim().min(1).max(ALERT_LIMITS.assignee).nullable().optional(),
    /** resolve: why (required). */
    note: z.string().trim().max(ALERT_LIMITS.note).optional(),
  })
  .strict();
export type AlertItemAction = z.infer<typeof alertItemActionSchema>;

/** A supervisor changes the rules, based on the version they saw. */
export const alertRulesChangeSchema = z
  .object({ action: z.literal('setRules'), rules: alertRulesSchema, version: z.number().int().nonnegative() })
  .strict();
export type AlertRulesChange = z.infer<typeof alertRulesChangeSchema>;

/** Only supervisors and admins change the rules; every role reads them. */
export const mayEditAlertRules = (role: Role): boolean => ROLES.indexOf(role) >= ROLES.indexOf('supervisor');

/** The console's `alertAction` request: an action on one alert, or a change of the rules. */
export const alertActionRequestSchema = z.discriminatedUnion('action', [alertItemActionSchema, alertRulesChangeSchema]);
export type AlertActionRequest = z.infer<typeof alertActionRequestSchema>;

export const alertReplySchema = z.union([
  z.object({ alert: alertSchema }).strict(),
  z.object({ rules: alertRulesStateSchema }).strict(),
]);
export type AlertReply = z.infer<typeof alertReplySchema>;

/** A desktop notification for new alerts: what it says and what a click opens (null: the Alerts panel). */
export interface AlertNotice {
  title: string;
  body: string;
  alertId: string | null;
  pointId: string | null;
}

/** At most this many new alerts are notified one by one; more at once are one notice that counts them. */
export const MAX_ALERT_NOTICES = 3;

/** The desktop notifications for alerts new to this console (plain text: shown by the system, never as markup). */
export function alertNotices(alerts: readonly Alert[]): AlertNotice[] {
  if (alerts.length <= MAX_ALERT_NOTICES) {
    return alerts.map((a) => ({
      title: `${ALERT_LABELS[a.kind]}: ${a.pointId ?? `station ${a.stationId}`}`,
      body: a.evidence.slice(0, 200),
      alertId: a.id,
      pointId: a.pointId,
    }));
  }
  const kinds = ALERT_KINDS.map((k) => [k, alerts.filter((a) => a.kind === k).length] as const).filter(
    ([, n]) => n > 0,
  );
  return [
    {
      title: `${alerts.length} new alerts`,
      body: kinds.map(([k, n]) => `${n} × ${ALERT_LABELS[k].toLowerCase()}`).join(', '),
      alertId: null,
      pointId: null,
    },
  ];
}
