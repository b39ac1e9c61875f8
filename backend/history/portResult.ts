// One port's figures and outages for a period from its outage intervals and exclusions: the interval computation
// that the roll-ups (rollupUptime.ts) must agree with.
import type { Point } from '../../common/model.js';
import {
  portUptime,
  type Exclusion,
  type Outage,
  type Period,
  type PortUptime,
  type StatusInterval,
} from '../../common/uptime.js';

/** What names a port in the figures. */
export type PortPlace = Pick<Point, 'id' | 'stationId' | 'siteId'>;

export interface PortResult {
  point: PortPlace;
  figures: PortUptime;
  outages: Outage[];
}

export interface PortInputs {
  point: PortPlace;
  intervals: StatusInterval[];
  exclusions: Exclusion[];
  since: number | null;
}

/** One port's figures for a period; the part before its history starts is not counted (nothing is known of it). */
export function portResult(input: PortInputs, period: Period, now: number): PortResult {
  const { point, since } = input;
  const base = { pointId: point.id, stationId: point.stationId, siteId: point.siteId };
  if (since === null || since >= Math.min(period.to, now)) {
    return {
      point,
      figures: { ...base, periodMinutes: 0, outageMinutes: 0, excludedMinutes: 0, uptime: null },
      outages: [],
    };
  }
  const counted = { from: Math.max(period.from, since), to: period.to };
  const { outages, ...figures } = portUptime(input.intervals, input.exclusions, counted, now);
  return { point, figures: { ...base, ...figures }, outages };
}
