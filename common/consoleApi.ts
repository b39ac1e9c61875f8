// The typed console API every host (Electron preload, web host) exposes to the renderer.
// The renderer only ever talks through this; every call is validated against these schemas on arrival.
import { z } from 'zod';
import {
  auditEntrySchema,
  mutationIdSchema,
  mutationOutcomeSchema,
  operatorStateSchema,
  pointSchema,
  siteSchema,
  statusEditSchema,
} from './model.js';
import type { OperatorState, Point, StatusEdit } from './model.js';
import {
  clientToServer,
  CONSOLE_EVENTS,
  DELIVERY_ACTIONS,
  deliveryActionReplySchema,
  loginRequestSchema,
  sessionInfoSchema,
} from './protocol.js';
import { LIVENESS_STATES, shownStatus } from './status.js';
import {
  changeWindowRequestSchema,
  maintenanceWindowSchema,
  windowOverlapSchema,
  windowPlanSchema,
} from './windows.js';
import { alertItemActionSchema, alertRulesSchema, alertRulesStateSchema, alertSchema } from './alerts.js';
import { uptimeExportProgressSchema, uptimeExportRequestSchema } from './uptime.js';
import type { DeliveryState, OperatorStatus, ShownStatus } from './status.js';
import { networkColumnsSchemaWith } from './networkWire.js';

export const PENDING_STATES = ['queued', 'sending', 'conflict', 'failed'] as const;

/** An edit this console made that the backend has not (yet) taken, laid over the server's point. */
export const pendingEditSchema = z.object({
  mutationId: z.string(),
  edit: statusEditSchema,
  state: z.enum(PENDING_STATES),
  createdAt: z.string(),
  error: z.string().nullable(),
  /** For a conflict: what is on the backend now, and who set it. */
  theirs: operatorStateSchema.nullable(),
});
export type PendingEdit = z.infer<typeof pendingEditSchema>;

export const viewPointSchema = pointSchema.extend({ pending: pendingEditSchema.nullable() });
export type ViewPoint = z.infer<typeof viewPointSchema>;

export interface EffectiveView {
  shown: ShownStatus;
  operatorStatus: OperatorStatus;
  delivery: DeliveryState;
  /**
   * The operator status shown before its station has applied it, while the change is on its way: a change back to
   * Available whose station still reports the Unavailable our own earlier Inoperative caused. The row says the change
   * is in progress instead of a bare "Unavailable" (or, without this, a flicker of it). null otherwise.
   */
  applying: OperatorStatus | null;
}

/** Delivery states in which the operator status is on its way to the station and not yet confirmed or refused. */
export const ON_ITS_WAY: ReadonlySet<DeliveryState> = new Set<DeliveryState>([
  'saved',
  'sentToStation',
  'accepted',
  'scheduled',
]);

/** Whether a delivery step leaves every point's shown status as it was: both states on the way, or neither. */
export const deliveryStepKeepsShown = (from: DeliveryState, to: DeliveryState): boolean =>
  ON_ITS_WAY.has(from) === ON_ITS_WAY.has(to);

/** What a row shows: the server's point with this console's still-pending edit laid over it. */
export function effectiveView(point: Point & { pending?: PendingEdit | null }): EffectiveView {
  // A conflicting or refused edit is not in effect: the row shows what the backend has, and says why.
  const pending =
    point.pending && (point.pending.state === 'queued' || point.pending.state === 'sending') ? point.pending : null;
  const operatorStatus = pending ? pending.edit.status : point.operator.status;
  // Queued or sending here, or saved and on its way to the station: the station's report is older than the change.
  const changeOnItsWay = pending !== null || (!point.pending && ON_ITS_WAY.has(point.delivery.state));
  const input = { operatorStatus, reportedStatus: point.reported.status, stationConnected: point.stationConnected };
  const shown = shownStatus({ ...input, changeOnItsWay });
  return {
    operatorStatus,
    shown,
    delivery: point.pending ? point.pending.state : point.delivery.state,
    applying: changeOnItsWay && shown !== shownStatus(input) ? operatorStatus : null,
  };
}

export const CONNECTION_STATES = ['connecting', 'live', 'reconnecting', 'offline', 'signedOut'] as const;

export const connectionStateSchema = z.object({
  state: z.enum(CONNECTION_STATES),
  backendUrl: z.string().nullable(),
  /** True when this console runs the embedded demo backend itself. */
  demo: z.boolean(),
  lastSyncAt: z.string().nullable(),
  queued: z.number().int().nonnegative(),
  conflicts: z.number().int().nonnegative(),
  session: sessionInfoSchema.nullable(),
  error: z.string().nullable(),
  /**
   * The order in which the core produced this state: each one it hands out (event or answer) has a higher seq than
   * the last. Tells whether the answer to getConnection is newer than an event that arrived with it.
   */
  seq: z.number().int().nonnegative(),
});
export type ConnectionState = z.infer<typeof connectionStateSchema>;

export const THEMES = ['light', 'dark', 'system'] as const;
export const settingsSchema = z.object({
  backendUrl: z.string().url().nullable(),
  username: z.string().max(100).nullable(),
  theme: z.enum(THEMES),
  /**
   * Allow http:// backends that are not on this machine (tokens would cross the network in the clear).
   * Read by the host at start; the renderer can see it but not change it (updateSettings refuses it).
   */
  allowInsecureBackend: z.boolean(),
});
export type Settings = z.infer<typeof settingsSchema>;
export const DEFAULT_SETTINGS: Settings = {
  backendUrl: null,
  username: null,
  theme: 'system',
  allowInsecureBackend: false,
};

export const outboxItemSchema = z.object({
  mutationId: z.string(),
  edit: statusEditSchema,
  pointIds: z.array(z.string()),
  state: z.enum(PENDING_STATES),
  createdAt: z.string(),
  attempts: z.number().int().nonnegative(),
  error: z.string().nullable(),
});
export type OutboxItem = z.infer<typeof outboxItemSchema>;

const empty = z.object({}).strict();

/** A station's liveness as the renderer sees it: times on this computer's clock (the core turns the backend's ages
 * into times when they arrive). */
export const stationLivenessSchema = z.object({
  stationId: z.string(),
  state: z.enum(LIVENESS_STATES),
  lastHeardAt: z.string().nullable(),
  since: z.string().nullable(),
});
export type StationLiveness = z.infer<typeof stationLivenessSchema>;

export const livenessViewSchema = z.object({
  /** true: every station known is listed (replace); false: only those that changed (merge). */
  full: z.boolean(),
  stations: z.array(stationLivenessSchema),
});
export type LivenessView = z.infer<typeof livenessViewSchema>;

/** Either one mutation id, or the ids of one action's mutations (a bulk change and its retries). */
export const undoBulkParamsSchema = z
  .object({
    mutationId: mutationIdSchema.optional(),
    mutationIds: z.array(mutationIdSchema).min(1).max(200).optional(),
  })
  .strict()
  .refine((p) => (p.mutationId === undefined) !== (p.mutationIds === undefined), {
    message: 'give either mutationId or mutationIds (not both, not neither)',
    path: ['mutationId'],
  });
export const undoBulkResultSchema = z.object({
  mutationIds: z.array(z.string()),
  /** The restoring edits queued, each with the points it covers. */
  mutations: z.array(z.object({ mutationId: z.string(), edit: statusEditSchema, pointIds: z.array(z.string()) })),
  /** Points of the change that were not restored, and why (the change did not alter them). */
  skipped: z.array(z.object({ pointId: z.string(), reason: z.string() })),
});

/**
 * What the console did at start when its cache file was damaged (electron/core/cache/cacheRecovery.ts): the file is
 * moved aside, never deleted; the queued edits that could be read from it are back in a fresh cache; the ones that
 * could not are listed here, for the person to make again.
 */
export const cacheRecoverySchema = z.object({
  at: z.string(),
  problem: z.string(),
  /** Where the damaged file now is. */
  movedTo: z.string(),
  /** Edits (queued, or answered and waiting for the person) put back into the fresh cache. */
  recovered: z.number().int().nonnegative(),
  /** Edits found in the damaged file that could not be put back, and why. */
  lost: z.array(
    z.object({
      mutationId: z.string(),
      edit: statusEditSchema.nullable(),
      pointIds: z.array(z.string()),
      createdAt: z.string().nullable(),
      why: z.string(),
    }),
  ),
  /** Parts of the damaged file that could not be read at all (edits stored there are unknown), or null. */
  unreadable: z.string().nullable(),
});
export type CacheRecovery = z.infer<typeof cacheRecoverySchema>;

/** A window request this console made that the backend has not answered yet (queued) or refused (failed). */
export const queuedWindowOpSchema = z.object({
  opId: z.string(),
  kind: z.enum(['plan', 'change', 'cancel']),
  windowId: z.string(),
  createdAt: z.string(),
  state: z.enum(['queued', 'failed']),
  error: z.string().nullable(),
  /** A refusal because the window overlaps another: which, where and when. */
  overlap: windowOverlapSchema.optional(),
  /** A plan's reason and points, so the request reads right after a reload too. */
  reason: z.string().optional(),
  pointCount: z.number().int().nonnegative().optional(),
  firstPointId: z.string().optional(),
});
export type QueuedWindowOpView = z.infer<typeof queuedWindowOpSchema>;

/**
 * A window request this console kept while offline (the person was told so) that the backend answered later and that
 * took effect at once, its time having passed on the way (WindowReply.tookEffectAtOnce): a plan that started at
 * once, a change whose new end ended the window. Kept, across restarts, until the person dismisses it
 * (dismissWindowOp). The window's facts are those of the backend's answer.
 */
export const windowOpNoticeSchema = z.object({
  opId: z.string(),
  kind: queuedWindowOpSchema.shape.kind,
  windowId: z.string(),
  reason: z.string(),
  pointCount: z.number().int().nonnegative(),
  firstPointId: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  /** The backend's words ("started at once: its start had passed"). */
  message: z.string(),
  queuedAt: z.string(),
  answeredAt: z.string(),
});
export type WindowOpNotice = z.infer<typeof windowOpNoticeSchema>;

export const windowsViewSchema = z.object({
  /** true: every window the backend lists (replace); false: only those that changed (merge). */
  full: z.boolean(),
  windows: z.array(maintenanceWindowSchema),
  queued: z.array(queuedWindowOpSchema),
  /** Always all of them (replace). */
  notices: z.array(windowOpNoticeSchema),
});
export type WindowsView = z.infer<typeof windowsViewSchema>;

export const windowActionResultSchema = z.object({
  windowId: z.string(),
  /** true: kept on this computer and sent when the console is online. */
  queued: z.boolean(),
  message: z.string(),
  window: maintenanceWindowSchema.nullable(),
});

/** Points whose latest record from the backend failed validation: skipped (the cache keeps what it had), shown as
 * "invalid data" so nobody trusts a status that could not be read. */
export const invalidDataSchema = z.object({
  points: z.array(z.object({ pointId: z.string(), problem: z.string() })).max(100_000),
});
export type InvalidData = z.infer<typeof invalidDataSchema>;

export const alertsViewSchema = z.object({
  /** true: every alert the backend lists (replace); false: only those that changed (merge). */
  full: z.boolean(),
  alerts: z.array(alertSchema),
  /** The rules in force (null: not heard from the backend yet; absent in an event: unchanged). */
  rules: alertRulesStateSchema.nullable().optional(),
});
export type AlertsView = z.infer<typeof alertsViewSchema>;

/** `limit`: only the first points in the grid's default order (a first screen while the rest loads). */
const networkParamsSchema = z.object({ limit: z.number().int().min(1).max(1_000_000).optional() }).strict();

type BackendRequests = typeof clientToServer;
/** A call the core passes on to the backend as it is: it takes and answers what that request does on the wire. */
const passedToBackend = <E extends keyof BackendRequests>(
  event: E,
): { params: BackendRequests[E]['request']; result: BackendRequests[E]['reply'] } => ({
  params: clientToServer[event].request,
  result: clientToServer[event].reply,
});

/** Every method: its params schema and its result schema. */
export const consoleMethods = {
  getNetwork: {
    params: networkParamsSchema,
    result: z.object({
      sites: z.array(siteSchema),
      points: z.array(viewPointSchema),
      /** Points in the whole network (more than `points` holds when a limit cut it). */
      total: z.number().int().nonnegative(),
      seq: z.number().int().nonnegative(),
      lastSyncAt: z.string().nullable(),
    }),
  },
  /**
   * The same network in columns (common/networkWire.ts): what the page asks for. Checked on arrival by lengths and
   * codes; getNetwork's objects stay for tools and tests in the core's process.
   */
  getNetworkColumns: {
    params: networkParamsSchema,
    result: networkColumnsSchemaWith(pendingEditSchema),
  },
  setStatus: {
    params: z
      .object({ pointIds: z.array(z.string().min(1).max(128)).min(1).max(50_000), edit: statusEditSchema })
      .strict(),
    result: z.object({ mutationId: z.string(), queued: z.number().int() }),
  },
  getConnection: { params: empty, result: connectionStateSchema },
  getHistory: {
    params: z
      .object({ pointId: z.string().min(1).max(128), limit: z.number().int().min(1).max(500).optional() })
      .strict(),
    result: z.object({ entries: z.array(auditEntrySchema) }),
  },
  listOutbox: { params: empty, result: z.object({ items: z.array(outboxItemSchema) }) },
  /** The cache recovery made at this start (the cache file was damaged), until the person dismisses it; else null. */
  getCacheRecovery: { params: empty, result: cacheRecoverySchema.nullable() },
  dismissCacheRecovery: { params: empty, result: z.object({ dismissed: z.boolean() }) },
  discardQueued: {
    params: z.object({ mutationId: mutationIdSchema }).strict(),
    result: z.object({ discarded: z.number().int() }),
  },
  resolveConflict: {
    params: z.object({ mutationId: mutationIdSchema, choice: z.enum(['keepMine', 'takeTheirs']) }).strict(),
    result: z.object({ mutationId: z.string().nullable() }),
  },
  getSettings: { params: empty, result: settingsSchema },
  updateSettings: {
    params: settingsSchema.omit({ allowInsecureBackend: true }).partial().strict(),
    result: settingsSchema,
  },
  signIn: { params: loginRequestSchema.strict(), result: connectionStateSchema },
  signOut: { params: empty, result: connectionStateSchema },
  getLiveness: { params: empty, result: livenessViewSchema },
  getWindows: { params: empty, result: windowsViewSchema },
  getInvalidData: { params: empty, result: invalidDataSchema },
  /** Open and acknowledged alerts, and those resolved in the last 24 hours (as of the last time the console was online). */
  getAlerts: { params: empty, result: alertsViewSchema },
  /** Acknowledge, assign or resolve an alert (operators and above; needs the backend). */
  alertAction: { params: alertItemActionSchema, result: z.object({ alert: alertSchema }) },
  /** Changes the alert rules (supervisors only; needs the backend). `version`: the rules' version the person saw. */
  setAlertRules: {
    params: z.object({ rules: alertRulesSchema, version: z.number().int().nonnegative() }).strict(),
    result: alertRulesStateSchema,
  },
  /** Plans a maintenance window (the core makes its id); queued durably while offline. */
  planWindow: { params: windowPlanSchema, result: windowActionResultSchema },
  changeWindow: { params: changeWindowRequestSchema.strict(), result: windowActionResultSchema },
  cancelWindow: {
    params: z.object({ id: z.string().min(1).max(100), version: z.number().int().positive() }).strict(),
    result: windowActionResultSchema,
  },
  /** Forgets a window request the backend refused, or a notice of one answered later (after the person has read it). */
  dismissWindowOp: {
    params: z.object({ opId: z.string().min(1).max(100) }).strict(),
    result: z.object({ dismissed: z.boolean() }),
  },
  /** Re-sends a change its station has not confirmed, or withdraws it (back to the status before it). Needs the backend. */
  deliveryAction: {
    params: z
      .object({
        pointId: z.string().min(1).max(128),
        action: z.enum(DELIVERY_ACTIONS),
        operatorVersion: z.number().int().nonnegative(),
      })
      .strict(),
    result: deliveryActionReplySchema,
  },
  /**
   * Undoes bulk change(s) this console sent: restores each point's operator state from before them, as one action
   * (one mutation per distinct previous state, usually one). Points the change did not alter are skipped.
   */
  undoBulk: { params: undoBulkParamsSchema, result: undoBulkResultSchema },
  /** A point's shown status over the last 24 h / 7 d / 30 d, its outages and uptime (needs the backend). */
  getTimeline: passedToBackend(CONSOLE_EVENTS.timeline),
  /** Uptime and outages of a point, station, site or the network for a period (docs/uptime.md; needs the backend). */
  getUptime: passedToBackend(CONSOLE_EVENTS.uptime),
  /** Starts a CSV export of uptime per port per month or of outages (needs the backend); progress comes as
   * `uptimeExport` events. The desktop asks where to save it first (refused: `cancelled`); the web host offers the
   * finished file for download. */
  startUptimeExport: { params: uptimeExportRequestSchema, result: uptimeExportProgressSchema },
  /** Stops a running export; nothing of it is left. */
  cancelUptimeExport: {
    params: z.object({ exportId: z.string().min(1).max(64) }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  },
  /** Marks a point's outage minutes excluded, with the rule's reason and a note (supervisors; needs the backend). */
  excludeOutage: passedToBackend(CONSOLE_EVENTS.excludeOutage),
  /** OCPI roaming partners and their delivery (admins only; needs the backend). docs/ocpi.md, "In the console". */
  getPartners: passedToBackend(CONSOLE_EVENTS.partners),
  /** Where a point's status stands in each partner app (admins only; needs the backend). */
  getPointPartners: passedToBackend(CONSOLE_EVENTS.pointPartners),
  /** Registers with, suspends, resumes or removes a partner (admins only; needs the backend). */
  partnerAction: passedToBackend(CONSOLE_EVENTS.partnerAction),
} as const;

export type ConsoleMethod = keyof typeof consoleMethods;
export type MethodParams<M extends ConsoleMethod> = z.input<(typeof consoleMethods)[M]['params']>;
export type MethodResult<M extends ConsoleMethod> = z.infer<(typeof consoleMethods)[M]['result']>;

/** Events the core pushes to the renderer. */
export const consoleEvents = {
  /** Points changed (server deltas or local edits), each in its new view state. */
  points: z.object({ points: z.array(viewPointSchema), sites: z.array(siteSchema) }),
  connection: connectionStateSchema,
  /** A mutation's outcome arrived from the backend (drives bulk progress). */
  outcome: z.object({ outcome: mutationOutcomeSchema }),
  /** Alerts: all (full) or those that changed. */
  alerts: alertsViewSchema,
  /** Alerts this console hears of for the first time, raised while it was connected or while it was away. */
  newAlerts: z.object({ alerts: z.array(alertSchema) }),
  /** Open this alert's point (a desktop notification was clicked; sent by the desktop shell). */
  openAlert: z.object({ alertId: z.string(), pointId: z.string().nullable() }),
  /** The points skipped as invalid data, all of them (replace). */
  invalidData: invalidDataSchema,
  /** Maintenance windows: all (full) or the ones that changed, with this console's queued requests. */
  windows: windowsViewSchema,
  /** Stations' liveness as the backend decided it: all (full) or the ones that changed. */
  liveness: livenessViewSchema,
  /** A CSV export's progress and its end (done, cancelled, failed). */
  uptimeExport: uptimeExportProgressSchema,
  /** The cache was replaced (new network, first snapshot): reload everything. */
  reset: z.object({}),
} as const;
export type ConsoleEvent = keyof typeof consoleEvents;
export type EventPayload<E extends ConsoleEvent> = z.infer<(typeof consoleEvents)[E]>;

/** What the renderer holds: calls and event subscriptions, whatever the host. */
export interface ConsoleApi {
  call<M extends ConsoleMethod>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
  on<E extends ConsoleEvent>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

// ---- the wire form used by both hosts (IPC and the web host's WebSocket) ----

export const wireCallSchema = z.object({
  kind: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().max(64),
  params: z.unknown(),
});
export type WireCall = z.infer<typeof wireCallSchema>;

export type WireReply =
  | { kind: 'reply'; id: number; ok: true; data: unknown }
  | { kind: 'reply'; id: number; ok: false; error: { code: string; message: string } };
export type WireEvent = { kind: 'event'; name: ConsoleEvent; payload: unknown };

export class ConsoleApiError extends Error {
  constructor(
    readonly code: 'invalid' | 'unknownMethod' | 'notFound' | 'offline' | 'forbidden' | 'internal',
    message: string,
  ) {
    super(message);
    this.name = 'ConsoleApiError';
  }
}

export type { OperatorState, StatusEdit };
