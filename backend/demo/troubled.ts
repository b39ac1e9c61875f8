// A site of stations that misbehave the ways real ones do, so a newcomer can see what the console makes of them:
// one that only answers pings (never a Heartbeat, back without a BootNotification after a drop), one that accepts
// changes and never applies them, one that answers Scheduled and never applies, and one that goes quiet (answers
// nothing, not even pings) until the backend drops it, then comes back and does it again.
import type { DemoNetwork, DemoStation } from './network.js';

export const STATION_QUIRKS = ['pingsOnly', 'ignoresChanges', 'neverApplies', 'goesQuiet'] as const;
export type StationQuirk = (typeof STATION_QUIRKS)[number];

export const TROUBLED_SITE = {
  id: 'site-troubled',
  name: 'Troubled stations (demo)',
  city: 'Demo',
  address: 'Stations that misbehave on purpose',
  // Another zone than the rest of the demo, so its times show the site's clock beside the viewer's.
  timeZone: 'Europe/Amsterdam',
};

const connector = (maxKw: number) => ({ id: 1, type: 'Type2', maxKw });

const STATIONS: (Omit<DemoStation, 'siteId' | 'vendor' | 'model'> & { quirk: StationQuirk; what: string })[] = [
  {
    id: 'TRB-PINGS',
    protocol: 'ocpp1.6',
    quirk: 'pingsOnly',
    what: 'Pings only',
    evses: [{ evseId: 1, label: 'Pings only', connectors: [connector(22)] }],
  },
  {
    id: 'TRB-IGNORES',
    protocol: 'ocpp1.6',
    quirk: 'ignoresChanges',
    what: 'Ignores changes',
    evses: [1, 2].map((evseId) => ({ evseId, label: `Ignores changes ${evseId}`, connectors: [connector(22)] })),
  },
  {
    id: 'TRB-SCHEDULES',
    protocol: 'ocpp2.0.1',
    quirk: 'neverApplies',
    what: 'Scheduled forever',
    evses: [{ evseId: 1, label: 'Scheduled forever', connectors: [connector(50)] }],
  },
  {
    id: 'TRB-QUIET',
    protocol: 'ocpp2.0.1',
    quirk: 'goesQuiet',
    what: 'Goes quiet',
    evses: [{ evseId: 1, label: 'Goes quiet', connectors: [connector(50)] }],
  },
];

/** The demo network with the troubled site added. */
export function withTroubledStations(network: DemoNetwork): DemoNetwork {
  const stations: DemoStation[] = STATIONS.map(({ what, ...s }) => ({
    ...s,
    siteId: TROUBLED_SITE.id,
    vendor: 'Demo',
    model: what,
  }));
  return { ...network, sites: [...network.sites, TROUBLED_SITE], stations: [...network.stations, ...stations] };
}
