// Points per shown status and per counted delivery state: the network's and each site's (the toolbar's counts).
import { SHOWN_STATUSES } from '../../../../common/status.js';
import type { DeliveryState, ShownStatus } from '../../../../common/status.js';

export type StatusCounts = Record<ShownStatus, number>;

/** Delivery states counted in the toolbar (each a count that filters the grid to its points). */
export const COUNTED_DELIVERIES = ['notConfirmed'] as const satisfies readonly DeliveryState[];
export type CountedDelivery = (typeof COUNTED_DELIVERIES)[number];
export type DeliveryCounts = Record<CountedDelivery, number>;

export function emptyCounts(): StatusCounts {
  const c = {} as StatusCounts;
  for (const s of SHOWN_STATUSES) c[s] = 0;
  return c;
}

export function emptyDeliveryCounts(): DeliveryCounts {
  return { notConfirmed: 0 };
}

export function countDelivery(counts: DeliveryCounts, state: DeliveryState, by: number): void {
  if (state in counts) counts[state as CountedDelivery] += by;
}

export function totalOf(counts: StatusCounts): number {
  let n = 0;
  for (const s of SHOWN_STATUSES) n += counts[s];
  return n;
}
