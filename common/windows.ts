// Planned maintenance windows: a set of points, a start, an end (or none), a reason. The backend runs them: at the
// start the points go to Maintenance, at the end each goes back to what it had before. Shapes shared by all sides.
import { z } from 'zod';
import { NOTE_MAX, REASON_MAX } from './model.js';

const isoTime = z.iso.datetime({ offset: true });
const pointId = z.string().min(1).max(128);

export const WINDOW_STATES = ['planned', 'running', 'ended', 'cancelled'] as const;
export type WindowState = (typeof WINDOW_STATES)[number];

/**
 * What a window did to one point: planned (not started), applied (in Maintenance for the window), restored (back to
 * its earlier status at the end), released (a person changed the point during the window: the window let go of it),
 * cancelled (the window was cancelled before it started).
 */
export const WINDOW_POINT_STATES = ['planned', 'applied', 'restored', 'released', 'cancelled'] as const;
export type WindowPointState = (typeof WINDOW_POINT_STATES)[number];

/** At most this many points in one window (a large site's worth many times over). */
export const MAX_WINDOW_POINTS = 20_000;

export const maintenanceWindowSchema = z.object({
  /** Made by the console that planned it (a UUID): planning the same id again answers the window as it is. */
  id: z
    .string()
    .min(8)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/),
  reason: z.string().min(1).max(REASON_MAX),
  note: z.string().max(NOTE_MAX).nullable(),
  startsAt: isoTime,
  /** null: open-ended, until someone ends it. */
  endsAt: isoTime.nullable(),
  state: z.enum(WINDOW_STATES),
  createdBy: z.string().max(200),
  createdAt: isoTime,
  startedAt: isoTime.nullable(),
  endedAt: isoTime.nullable(),
  /** Increments with every change; changes and cancels name the version they were based on. */
  version: z.number().int().positive(),
  points: z.array(z.object({ pointId, state: z.enum(WINDOW_POINT_STATES) })).max(MAX_WINDOW_POINTS),
});
export type MaintenanceWindow = z.infer<typeof maintenanceWindowSchema>;

/** What a person plans: the points, when, and why. */
const windowPlanFields = z.object({
  pointIds: z.array(pointId).min(1).max(MAX_WINDOW_POINTS),
  startsAt: isoTime,
  endsAt: isoTime.nullable(),
  reason: z.string().trim().min(1, 'a reason is required').max(REASON_MAX),
  note: z.string().max(NOTE_MAX).nullable(),
});
const endAfterStart = (r: { startsAt: string; endsAt: string | null }) =>
  r.endsAt === null || Date.parse(r.endsAt) > Date.parse(r.startsAt);
const endAfterStartIssue = { message: 'the end must be after the start', path: ['endsAt'] };

/**
 * A plan as the renderer asks for it. The console core gives it its id unless the renderer chose one (so the plan
 * form can find its own request, and a refusal of it, among the queued ones).
 */
export const windowPlanSchema = windowPlanFields
  .extend({ id: maintenanceWindowSchema.shape.id.optional() })
  .strict()
  .refine(endAfterStart, endAfterStartIssue);

export const planWindowRequestSchema = windowPlanFields
  .extend({ id: maintenanceWindowSchema.shape.id })
  .refine(endAfterStart, endAfterStartIssue);
export type PlanWindowRequest = z.infer<typeof planWindowRequestSchema>;

/** Edit, shorten, extend: a planned window may change everything; a running one only its end (and text). */
export const changeWindowRequestSchema = z.object({
  id: maintenanceWindowSchema.shape.id,
  version: z.number().int().positive(),
  startsAt: isoTime.optional(),
  endsAt: isoTime.nullable().optional(),
  reason: z.string().trim().min(1).max(REASON_MAX).optional(),
  note: z.string().max(NOTE_MAX).nullable().optional(),
});
export type ChangeWindowRequest = z.infer<typeof changeWindowRequestSchema>;

/** A planned window is cancelled; a running one ends now (its points go back). */
export const cancelWindowRequestSchema = z.object({
  id: maintenanceWindowSchema.shape.id,
  version: z.number().int().positive(),
});
export type CancelWindowRequest = z.infer<typeof cancelWindowRequestSchema>;

export const windowReplySchema = z.object({
  window: maintenanceWindowSchema,
  /** What happened, in words a person can read ("started at once: its start had passed"). */
  message: z.string(),
  /**
   * true: the request's time had passed when it reached the backend, so it took effect at once (a plan's start: the
   * window started; a change's new end: the window ended). Absent: it took effect as asked.
   */
  tookEffectAtOnce: z.boolean().optional(),
});
export type WindowReply = z.infer<typeof windowReplySchema>;

/** Points of a refused plan named in its overlap, at most (the count says how many there are). */
export const MAX_OVERLAP_POINTS = 100;

/**
 * Why a window was refused as overlapping: the other window (planned or running) that already holds some of its
 * points over part of the same time, and which of the points. Carried beside the refusal's message (`conflict`).
 */
export const windowOverlapSchema = z.object({
  windowId: maintenanceWindowSchema.shape.id,
  reason: z.string().max(REASON_MAX),
  startsAt: isoTime,
  endsAt: isoTime.nullable(),
  state: z.enum(['planned', 'running']),
  /** The refused window's points the other one holds, in the refused window's order (the first MAX_OVERLAP_POINTS). */
  pointIds: z.array(pointId).min(1).max(MAX_OVERLAP_POINTS),
  /** How many of its points the other one holds in all. */
  pointCount: z.number().int().positive(),
  /** When the overlap begins and ends: the later start, the earlier end (null: both open-ended). */
  from: isoTime,
  until: isoTime.nullable(),
});
export type WindowOverlap = z.infer<typeof windowOverlapSchema>;

export const windowsRequestSchema = z.object({}).strict();

/** Windows that are planned or running, and those that ended or were cancelled in the last 7 days. */
export const windowsSchema = z.object({
  networkId: z.string(),
  full: z.boolean(),
  windows: z.array(maintenanceWindowSchema).max(10_000),
});
export type Windows = z.infer<typeof windowsSchema>;

/** How far back ended and cancelled windows are listed. */
export const PAST_WINDOWS_MS = 7 * 24 * 3600_000;
