// Alerts: records with a life (raised with evidence, acknowledged, assigned, resolved), raised by the backend's rules
// so they fire with no console open. Shapes shared by all sides.
import { z } from 'zod';

const isoTime = z.iso.datetime({ offset: true });

/** What an alert is about. */
export const ALERT_KINDS = ['pointFaulted', 'stationOffline', 'changeNotConfirmed'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_LABELS: Record<AlertKind, string> = {
  pointFaulted: 'Point faulted',
  stationOffline: 'Station offline or silent',
  changeNotConfirmed: 'Change not confirmed by the station',
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

export const alertsRequestSchema = z.object({}).strict();

/** Open and acknowledged alerts, and those resolved in the last 24 hours. */
export const alertsSchema = z.object({
  networkId: z.string(),
  full: z.boolean(),
  alerts: z.array(alertSchema).max(100_000),
});
export type Alerts = z.infer<typeof alertsSchema>;

export const alertActionRequestSchema = z.object({
  id: z.string().min(1).max(100),
  /** The version the person saw: a newer change in between is a conflict. */
  version: z.number().int().positive(),
  action: z.enum(['acknowledge', 'assign', 'resolve']),
  /** assign: who (a username); null unassigns. */
  assignee: z.string().trim().min(1).max(100).nullable().optional(),
  /** resolve: why (required). */
  note: z.string().trim().max(1000).optional(),
});
export type AlertActionRequest = z.infer<typeof alertActionRequestSchema>;

export const alertReplySchema = z.object({ alert: alertSchema });

/** How alerts are raised: hold-offs and flapping (per rule; docs/protocol.md "Alerts"). */
export interface AlertRules {
  /** A point Faulted for longer than this raises an alert. Default 2 minutes. */
  faultedHoldOffMs: number;
  /** A station Offline or Silent for longer than this raises an alert. Default 2 minutes. */
  offlineHoldOffMs: number;
  /** This many raises for one subject within flapWindowMs collapse into the open alert. Default 5 in 10 minutes. */
  flapCount: number;
  flapWindowMs: number;
}

export const DEFAULT_ALERT_RULES: AlertRules = {
  faultedHoldOffMs: 2 * 60_000,
  offlineHoldOffMs: 2 * 60_000,
  flapCount: 5,
  flapWindowMs: 10 * 60_000,
};
