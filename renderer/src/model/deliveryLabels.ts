// How a delivery is shown to people: its place on the four steps, its words (a Scheduled change's wait) and what
// the operator can do about it. Pure; tests/unit/renderer-rows.test.ts and renderer-not-confirmed.test.ts cover it.
import { DELIVERY_LABELS } from '../../../common/status.js';
import type { DeliveryState } from '../../../common/status.js';

/** The delivery step indicator: queued → saved → sent → confirmed. */
export const DELIVERY_STEPS = ['Queued', 'Saved', 'Sent', 'Confirmed'] as const;
export type StepState = 'done' | 'active' | 'waiting' | 'error' | 'unconfirmed' | 'todo' | 'skipped';

export interface DeliveryProgress {
  steps: StepState[];
  /** 'unconfirmed': the station took the change but never showed it applied it (its own colour and icon). */
  tone: 'ok' | 'progress' | 'waiting' | 'problem' | 'unconfirmed';
}

/** Where a delivery state sits on the four steps, and whether it needs attention. */
export function deliveryProgress(state: DeliveryState): DeliveryProgress {
  const S = (...s: StepState[]) => s;
  switch (state) {
    case 'queued':
      return { steps: S('active', 'todo', 'todo', 'todo'), tone: 'progress' };
    case 'sending':
      return { steps: S('done', 'active', 'todo', 'todo'), tone: 'progress' };
    case 'conflict':
      return { steps: S('done', 'error', 'todo', 'todo'), tone: 'problem' };
    case 'failed':
      return { steps: S('done', 'error', 'todo', 'todo'), tone: 'problem' };
    case 'saved':
      return { steps: S('done', 'done', 'active', 'todo'), tone: 'progress' };
    case 'stationOffline':
      return { steps: S('done', 'done', 'waiting', 'todo'), tone: 'waiting' };
    case 'sentToStation':
      return { steps: S('done', 'done', 'done', 'active'), tone: 'progress' };
    case 'accepted':
      return { steps: S('done', 'done', 'done', 'active'), tone: 'progress' };
    case 'scheduled':
      return { steps: S('done', 'done', 'done', 'waiting'), tone: 'waiting' };
    case 'noReply':
      return { steps: S('done', 'done', 'waiting', 'todo'), tone: 'waiting' };
    case 'rejected':
      return { steps: S('done', 'done', 'done', 'error'), tone: 'problem' };
    case 'notConfirmed':
      return { steps: S('done', 'done', 'done', 'unconfirmed'), tone: 'unconfirmed' };
    case 'confirmed':
      return { steps: S('done', 'done', 'done', 'done'), tone: 'ok' };
    case 'overrideOnly':
      return { steps: S('done', 'done', 'skipped', 'skipped'), tone: 'ok' };
  }
}

/** "40 s", "12 min", "4 h 10 min", "2 d": how long, in words. */
export function durationWords(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${Math.floor(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  return `${Math.floor(s / 86400)} d`;
}

/** The words the delivery column shows: the state's label; a Scheduled change says how long it has waited since the
 *  station answered Scheduled (`at`, the delivery's time). */
export function deliveryWords(
  state: DeliveryState,
  at: string | null | undefined,
  nowMs: number,
  compact = false,
): string {
  // The grid's column is narrow: the short word there, the whole label in its tooltip and in the drawer.
  if (compact && state === 'notConfirmed') return 'Not confirmed';
  if (state === 'scheduled') {
    const since = at ? Date.parse(at) : Number.NaN;
    return Number.isNaN(since) ? 'Scheduled' : `Scheduled · waiting ${durationWords(nowMs - since)}`;
  }
  return DELIVERY_LABELS[state];
}

/** What the operator can do about a delivery state that needs attention (null when nothing). */
export function deliveryAdvice(state: DeliveryState): string | null {
  switch (state) {
    case 'conflict':
      return 'Someone else changed this point: open Conflicts to keep yours or take theirs.';
    case 'failed':
      return 'The backend refused the edit; it was not applied. Check the reason and set the status again.';
    case 'rejected':
      return 'The station refused the change. Check the station (a reset may help) and set the status again, or send a technician.';
    case 'noReply':
      return 'The station did not answer; it is retried when the station reconnects.';
    case 'stationOffline':
      return 'The station is offline; the change is sent when it reconnects.';
    case 'scheduled':
      return 'A charging session is running; the station applies the change when it ends.';
    case 'notConfirmed':
      return 'The station has not shown that it applied the change. Re-send it, withdraw it, or check the station.';
    default:
      return null;
  }
}
