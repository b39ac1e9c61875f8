// The network's data as every side sees it, with the schemas that validate it on arrival.
import { z } from 'zod';
import {
  DELIVERY_STATES,
  OPERATOR_STATUSES,
  REPORTED_STATUSES,
  reasonRequired,
  UNTIL_ACTIONS,
  untilAllowed,
} from './status.js';

const isoTime = z.iso.datetime({ offset: true });
const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:@-]+$/, 'letters, digits and . _ : @ - only');
const text = (max: number) => z.string().max(max);

export const PROTOCOLS = ['ocpp1.6', 'ocpp2.0.1'] as const;
export type StationProtocol = (typeof PROTOCOLS)[number];

/** An IANA time zone name the runtime knows (Europe/London, America/New_York). */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as Europe/London');

export const siteSchema = z.object({
  id,
  name: text(200),
  city: text(200),
  address: text(400),
  /** Where the site is: its times (maintenance windows, expected ends) are shown in this zone. Absent: UTC. */
  timeZone: timeZoneSchema.optional(),
});
export type Site = z.infer<typeof siteSchema>;

export const connectorSchema = z.object({
  id: z.number().int().min(1),
  /** null: the station did not say (a point learned from a report rather than registered with its layout). */
  type: text(40).nullable(),
  maxKw: z.number().nonnegative().nullable(),
});
export type Connector = z.infer<typeof connectorSchema>;

/** The longest reason and note a status change may carry (the editors' fields take them from here). */
export const REASON_MAX = 500;
export const NOTE_MAX = 2000;

export const operatorStateSchema = z.object({
  status: z.enum(OPERATOR_STATUSES),
  reason: text(REASON_MAX).nullable(),
  note: text(NOTE_MAX).nullable(),
  until: isoTime.nullable(),
  /** With an until: revert (back to Available on its own when it passes) or remind (shown overdue). */
  untilAction: z.enum(UNTIL_ACTIONS).nullable().optional(),
  by: text(200).nullable(),
  at: isoTime.nullable(),
  /** Increments with every operator-status change; edits name the version they were based on. */
  version: z.number().int().nonnegative(),
});
export type OperatorState = z.infer<typeof operatorStateSchema>;

export const reportedStateSchema = z.object({
  status: z.enum(REPORTED_STATUSES),
  errorCode: text(100).nullable(),
  info: text(500).nullable(),
  at: isoTime.nullable(),
});
export type ReportedState = z.infer<typeof reportedStateSchema>;

export const deliveryStateSchema = z.object({
  state: z.enum(DELIVERY_STATES),
  detail: text(500).nullable(),
  at: isoTime.nullable(),
});
export type DeliveryInfo = z.infer<typeof deliveryStateSchema>;

/** One charging point (OCPI EVSE; OCPP 1.6 connector; OCPP 2.0.1 EVSE). */
export const pointSchema = z.object({
  id,
  siteId: id,
  stationId: id,
  /** OCPP 1.6 connectorId or OCPP 2.0.1 evseId on the station. */
  evseId: z.number().int().min(1),
  label: text(100),
  protocol: z.enum(PROTOCOLS),
  connectors: z.array(connectorSchema).max(16),
  stationConnected: z.boolean(),
  /** When the station was last heard from (any message). */
  stationLastSeen: isoTime.nullable(),
  reported: reportedStateSchema,
  operator: operatorStateSchema,
  delivery: deliveryStateSchema,
  /** Increments with every change to this point (any fact). */
  version: z.number().int().nonnegative(),
  /** The global sequence number of the last change to this point. */
  seq: z.number().int().nonnegative(),
});
export type Point = z.infer<typeof pointSchema>;

/** What a person asks for: one status, applied to one or many points. */
export const statusEditSchema = z
  .object({
    status: z.enum(OPERATOR_STATUSES),
    reason: text(REASON_MAX).nullable(),
    note: text(NOTE_MAX).nullable(),
    until: isoTime.nullable(),
    /** What happens when the until passes; absent with an until: remind. */
    untilAction: z.enum(UNTIL_ACTIONS).optional(),
  })
  .superRefine((edit, ctx) => {
    if (reasonRequired(edit.status) && !edit.reason?.trim()) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: `a reason is required for ${edit.status}` });
    }
    if (edit.until && !untilAllowed(edit.status)) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: `${edit.status} cannot carry an expected end` });
    }
    if (edit.untilAction && !edit.until) {
      ctx.addIssue({ code: 'custom', path: ['untilAction'], message: 'untilAction needs an until' });
    }
  });
export type StatusEdit = z.infer<typeof statusEditSchema>;

export const mutationTargetSchema = z.object({
  pointId: id,
  /** The operator-status version the edit was based on. */
  baseVersion: z.number().int().nonnegative(),
});
export type MutationTarget = z.infer<typeof mutationTargetSchema>;

export const MAX_TARGETS_PER_MUTATION = 50_000;

/** A mutation's id: made by the console that queued it (`<install id>-<counter>`); applied at most once, forever. */
export const mutationIdSchema = z
  .string()
  .min(8)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'a mutation id: letters, digits, _ and - only');

export const mutationSchema = z.object({
  id: mutationIdSchema,
  kind: z.literal('setStatus'),
  targets: z.array(mutationTargetSchema).min(1).max(MAX_TARGETS_PER_MUTATION),
  edit: statusEditSchema,
  createdAt: isoTime,
});
export type Mutation = z.infer<typeof mutationSchema>;

export const POINT_RESULTS = ['applied', 'unchanged', 'conflict', 'rejected', 'notAllowed'] as const;
export type PointResult = (typeof POINT_RESULTS)[number];

export const pointOutcomeSchema = z.object({
  pointId: z.string(),
  result: z.enum(POINT_RESULTS),
  reason: z.string().nullable(),
  /** For a conflict: the operator status that is there now, and who set it. */
  current: operatorStateSchema.nullable(),
  /** The point's operator-status version after this outcome. */
  operatorVersion: z.number().int().nonnegative().nullable(),
});
export type PointOutcome = z.infer<typeof pointOutcomeSchema>;

export const MUTATION_RESULTS = ['applied', 'partial', 'conflict', 'rejected'] as const;
export type MutationResult = (typeof MUTATION_RESULTS)[number];

export const mutationOutcomeSchema = z.object({
  mutationId: z.string(),
  /** applied: every point applied (or already so); partial: some were not; conflict/rejected: none applied. */
  result: z.enum(MUTATION_RESULTS),
  /** True when this id had been applied before: the original outcome is answered again, nothing is re-applied. */
  duplicate: z.boolean(),
  reason: z.string().nullable(),
  points: z.array(pointOutcomeSchema),
  processedAt: isoTime,
});
export type MutationOutcome = z.infer<typeof mutationOutcomeSchema>;

export const auditEntrySchema = z.object({
  seq: z.number().int(),
  pointId: z.string(),
  at: isoTime,
  /** "user:NAME", "station:ID" or "system". */
  actor: z.string(),
  /** window: a planned maintenance window that holds the point was planned, changed, started, ended or cancelled. */
  fact: z.enum(['operator', 'reported', 'delivery', 'connection', 'window', 'alert']),
  from: z.string().nullable(),
  to: z.string().nullable(),
  reason: z.string().nullable(),
  note: z.string().nullable(),
  mutationId: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const ROLES = ['viewer', 'operator', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Whether a role may do an action; the backend checks every request with this. */
export function roleAllows(role: Role, action: 'read' | 'edit' | 'bulkEdit' | 'manageUsers'): boolean {
  const rank = ROLES.indexOf(role);
  const needed = { read: 0, edit: 1, bulkEdit: 2, manageUsers: 3 }[action];
  return rank >= needed;
}
