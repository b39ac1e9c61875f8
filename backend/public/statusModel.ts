// What a driver may see of the network: each charger's status in words, since when, when it is expected back, its
// connectors and power. Never who changed it, why, or any note. The same model is the page and the JSON feed.
import type { Point } from '../../common/model.js';
import { effectiveView } from '../../common/consoleApi.js';
import type { ShownStatus } from '../../common/status.js';
import type { Store } from '../store/index.js';

/** A driver's view of a status: five kinds of answer to "can I charge here?". */
export const DRIVER_STATUSES = [
  'available',
  'inUse',
  'reserved',
  'maintenance',
  'outOfService',
  'outOfOrder',
  'unknown',
] as const;
export type DriverStatus = (typeof DRIVER_STATUSES)[number];

export const DRIVER_LABELS: Record<DriverStatus, string> = {
  available: 'Available',
  inUse: 'In use',
  reserved: 'Reserved',
  maintenance: 'Maintenance',
  outOfService: 'Out of service',
  outOfOrder: 'Out of order',
  unknown: 'Status unknown',
};

export function driverStatusOf(shown: ShownStatus): DriverStatus {
  switch (shown) {
    case 'Available':
      return 'available';
    case 'Occupied':
      return 'inUse';
    case 'Reserved':
      return 'reserved';
    case 'Maintenance':
      return 'maintenance';
    case 'OutOfService':
    case 'Unavailable':
      return 'outOfService';
    case 'Faulted':
      return 'outOfOrder';
    case 'Offline':
    case 'Unknown':
      return 'unknown';
  }
}

export interface PublicCharger {
  id: string;
  label: string;
  status: DriverStatus;
  statusText: string;
  /** When it took this status, as far as we know (null: not known). */
  since: string | null;
  /** When it is expected back in use: the operator's expected end, or the end of the maintenance window holding it. */
  expectedBack: string | null;
  connectors: { type: string | null; maxKw: number | null }[];
}

export interface PublicSite {
  id: string;
  name: string;
  city: string;
  address: string;
  timeZone: string;
  available: number;
  chargers: PublicCharger[];
}

export interface PublicNetwork {
  generatedAt: string;
  sites: PublicSite[];
}

function sinceOf(p: Point, shown: ShownStatus): string | null {
  if (p.operator.status !== 'Available') return p.operator.at;
  if (shown === 'Offline') return p.stationLastSeen;
  return p.reported.at;
}

export function buildPublicNetwork(store: Store, nowMs: number): PublicNetwork {
  const bySite = new Map<string, PublicCharger[]>();
  for (const p of store.points.all()) {
    const shown = effectiveView(p).shown;
    const status = driverStatusOf(shown);
    let expectedBack: string | null = null;
    if (status === 'maintenance' || status === 'outOfService') {
      expectedBack = p.operator.until;
      for (const w of store.windows.runningOn(p.id)) expectedBack ??= store.windows.get(w.window_id)?.endsAt ?? null;
    }
    const list = bySite.get(p.siteId) ?? [];
    list.push({
      id: p.id,
      label: p.label,
      status,
      statusText: DRIVER_LABELS[status],
      since: sinceOf(p, shown),
      expectedBack,
      connectors: p.connectors.map((c) => ({ type: c.type, maxKw: c.maxKw })),
    });
    bySite.set(p.siteId, list);
  }
  return {
    generatedAt: new Date(nowMs).toISOString(),
    sites: store.stations.allSites().map((s) => {
      const chargers = bySite.get(s.id) ?? [];
      return {
        id: s.id,
        name: s.name,
        city: s.city,
        address: s.address,
        timeZone: s.timeZone ?? 'UTC',
        available: chargers.filter((c) => c.status === 'available').length,
        chargers,
      };
    }),
  };
}
