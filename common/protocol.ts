// The console ↔ backend protocol over socket.io: every event, once, with its schema.
// docs/protocol.md describes it for people; this file is what both sides import.
import { z } from 'zod';
import { auditEntrySchema, mutationOutcomeSchema, mutationSchema, pointSchema, ROLES, siteSchema } from './model.js';
import { alertActionRequestSchema, alertReplySchema, alertsRequestSchema, alertsSchema } from './alerts.js';
import { LIVENESS_STATES } from './status.js';
import {
  cancelWindowRequestSchema,
  changeWindowRequestSchema,
  planWindowRequestSchema,
  windowReplySchema,
  windowsRequestSchema,
  windowsSchema,
  windowOverlapSchema,
} from './windows.js';
import {
  partnerActionReplySchema,
  partnerActionRequestSchema,
  partnersReplySchema,
  partnersRequestSchema,
  pointPartnersReplySchema,
  pointPartnersRequestSchema,
} from './ocpiPartners.js';
import {
  excludeOutageReplySchema,
  excludeOutageRequestSchema,
  timelineReplySchema,
  timelineRequestSchema,
  uptimeReplySchema,
  uptimeRequestSchema,
} from './uptime.js';

/** socket.io namespace path the backend serves consoles on. */
export const CONSOLE_SOCKET_PATH = '/console/socket.io';
/** HTTP path for signing in; answers a token for the socket handshake. */
export const LOGIN_PATH = '/api/login';
/** HTTP path for signing out: `POST` with `Authorization: Bearer <token>` revokes that token. */
export const LOGOUT_PATH = '/api/logout';
/** Largest socket.io message the backend accepts (bulk edits of 50,000 points fit). */
export const MAX_CONSOLE_MESSAGE_BYTES = 8 * 1024 * 1024;
/** How many mutations one `mutate` call may carry. */
export const MAX_MUTATIONS_PER_CALL = 500;

export const loginRequestSchema = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const sessionInfoSchema = z.object({
  username: z.string(),
  role: z.enum(ROLES),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const loginReplySchema = sessionInfoSchema.extend({ token: z.string().min(16) });
export type LoginReply = z.infer<typeof loginReplySchema>;

/** socket.io handshake `auth` field. */
export const handshakeAuthSchema = z.object({ token: z.string().min(16).max(200) });

/** Server → console right after connecting. */
export const helloSchema = z.object({
  /** Identifies the backend's store: a console whose cache came from another store starts over. */
  networkId: z.string(),
  session: sessionInfoSchema,
  serverTime: z.iso.datetime({ offset: true }),
  seq: z.number().int().nonnegative(),
});
export type Hello = z.infer<typeof helloSchema>;

// ---- console → server (each with an acknowledgement) ----

export const syncRequestSchema = z.object({
  networkId: z.string().nullable(),
  /** The last sequence number the console has applied; null for a first sync. */
  sinceSeq: z.number().int().nonnegative().nullable(),
});
export type SyncRequest = z.infer<typeof syncRequestSchema>;

export const syncReplySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('snapshot'),
    networkId: z.string(),
    seq: z.number().int().nonnegative(),
    sites: z.array(siteSchema),
    points: z.array(pointSchema),
  }),
  z.object({
    kind: z.literal('delta'),
    networkId: z.string(),
    seq: z.number().int().nonnegative(),
    sites: z.array(siteSchema),
    /** The latest state of every point changed after sinceSeq, in seq order. */
    points: z.array(pointSchema),
  }),
]);
export type SyncReply = z.infer<typeof syncReplySchema>;

export const mutateRequestSchema = z.object({
  mutations: z.array(mutationSchema).min(1).max(MAX_MUTATIONS_PER_CALL),
});
export type MutateRequest = z.infer<typeof mutateRequestSchema>;

export const mutateReplySchema = z.object({ outcomes: z.array(mutationOutcomeSchema) });
export type MutateReply = z.infer<typeof mutateReplySchema>;

export const historyRequestSchema = z.object({
  pointId: z.string().min(1).max(128),
  limit: z.number().int().min(1).max(500).default(50),
});
export type HistoryRequest = z.infer<typeof historyRequestSchema>;

export const historyReplySchema = z.object({ entries: z.array(auditEntrySchema) });
export type HistoryReply = z.infer<typeof historyReplySchema>;

export const livenessRequestSchema = z.object({}).strict();

/** What a person can do about a change its station has not confirmed (or is slow to apply). */
export const DELIVERY_ACTIONS = ['resend', 'withdraw'] as const;
export type DeliveryAction = (typeof DELIVERY_ACTIONS)[number];

export const deliveryActionRequestSchema = z.object({
  pointId: z.string().min(1).max(128),
  action: z.enum(DELIVERY_ACTIONS),
  /** The operator-status version the person saw: a newer change in between makes this a conflict. */
  operatorVersion: z.number().int().nonnegative(),
});
export type DeliveryActionRequest = z.infer<typeof deliveryActionRequestSchema>;

export const deliveryActionReplySchema = z.object({
  result: z.enum(['resent', 'withdrawn', 'conflict', 'nothingToDo']),
  message: z.string(),
});
export type DeliveryActionReply = z.infer<typeof deliveryActionReplySchema>;

// ---- server → console ----

/**
 * One station's liveness on the wire: [stationId, state, seconds since last heard, seconds since the state began].
 * Ages, not times, so a console with a wrong clock still shows the right age (it subtracts them from its own now
 * at arrival). null: never heard / not known.
 */
export const stationLivenessWireSchema = z.tuple([
  z.string().min(1).max(128),
  z.enum(LIVENESS_STATES),
  z.number().int().nonnegative().nullable(),
  z.number().int().nonnegative().nullable(),
]);
export type StationLivenessWire = z.infer<typeof stationLivenessWireSchema>;

/** MAX stations in one liveness message (a network of 100,000 stations fits). */
export const MAX_LIVENESS_ENTRIES = 100_000;

/** Liveness of stations: all of them (full, the answer to `liveness`) or those whose state or last-heard changed. */
export const livenessSchema = z.object({
  networkId: z.string(),
  full: z.boolean(),
  stations: z.array(stationLivenessWireSchema).max(MAX_LIVENESS_ENTRIES),
});
export type Liveness = z.infer<typeof livenessSchema>;

/** A coalesced batch of changes; every console gets every batch, the sender's included. */
export const changesSchema = z.object({
  networkId: z.string(),
  /** seq of the first change in this batch; the console has a gap if it is above its last seq + 1. */
  fromSeq: z.number().int().nonnegative(),
  toSeq: z.number().int().nonnegative(),
  sites: z.array(siteSchema),
  /** Each point once, in its latest state. */
  points: z.array(pointSchema),
});
export type Changes = z.infer<typeof changesSchema>;

export const errorReplySchema = z.object({
  code: z.enum([
    'invalid',
    'forbidden',
    'unauthenticated',
    'tooLarge',
    'rateLimited',
    'notFound',
    'conflict',
    'internal',
  ]),
  message: z.string(),
  /** A window refused because it overlaps another: which one, where and when (docs/protocol.md). */
  overlap: windowOverlapSchema.optional(),
});
export type ErrorReply = z.infer<typeof errorReplySchema>;

/** Every acknowledgement is one of these. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorReply };

export const CONSOLE_EVENTS = {
  hello: 'hello',
  sync: 'sync',
  mutate: 'mutate',
  history: 'history',
  liveness: 'liveness',
  deliveryAction: 'deliveryAction',
  windows: 'windows',
  alerts: 'alerts',
  alertAction: 'alertAction',
  planWindow: 'planWindow',
  changeWindow: 'changeWindow',
  cancelWindow: 'cancelWindow',
  timeline: 'timeline',
  uptime: 'uptime',
  excludeOutage: 'excludeOutage',
  partners: 'partners',
  pointPartners: 'pointPartners',
  partnerAction: 'partnerAction',
  changes: 'changes',
  sessionEnded: 'sessionEnded',
} as const;

export const clientToServer = {
  [CONSOLE_EVENTS.sync]: { request: syncRequestSchema, reply: syncReplySchema },
  [CONSOLE_EVENTS.mutate]: { request: mutateRequestSchema, reply: mutateReplySchema },
  [CONSOLE_EVENTS.history]: { request: historyRequestSchema, reply: historyReplySchema },
  [CONSOLE_EVENTS.liveness]: { request: livenessRequestSchema, reply: livenessSchema },
  [CONSOLE_EVENTS.deliveryAction]: { request: deliveryActionRequestSchema, reply: deliveryActionReplySchema },
  [CONSOLE_EVENTS.windows]: { request: windowsRequestSchema, reply: windowsSchema },
  [CONSOLE_EVENTS.alerts]: { request: alertsRequestSchema, reply: alertsSchema },
  [CONSOLE_EVENTS.alertAction]: { request: alertActionRequestSchema, reply: alertReplySchema },
  [CONSOLE_EVENTS.planWindow]: { request: planWindowRequestSchema, reply: windowReplySchema },
  [CONSOLE_EVENTS.changeWindow]: { request: changeWindowRequestSchema, reply: windowReplySchema },
  [CONSOLE_EVENTS.cancelWindow]: { request: cancelWindowRequestSchema, reply: windowReplySchema },
  [CONSOLE_EVENTS.timeline]: { request: timelineRequestSchema, reply: timelineReplySchema },
  [CONSOLE_EVENTS.uptime]: { request: uptimeRequestSchema, reply: uptimeReplySchema },
  [CONSOLE_EVENTS.excludeOutage]: { request: excludeOutageRequestSchema, reply: excludeOutageReplySchema },
  [CONSOLE_EVENTS.partners]: { request: partnersRequestSchema, reply: partnersReplySchema },
  [CONSOLE_EVENTS.pointPartners]: { request: pointPartnersRequestSchema, reply: pointPartnersReplySchema },
  [CONSOLE_EVENTS.partnerAction]: { request: partnerActionRequestSchema, reply: partnerActionReplySchema },
} as const;

export const sessionEndedSchema = z.object({ reason: z.string() });
