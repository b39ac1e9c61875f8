// Puts a generated network (sites, stations, points, users) into an empty store.
import type { Connector, Role, Site, StationProtocol } from '../common/model.js';
import type { Auth } from './auth.js';
import { hashStationPassword } from './ocpp/stationAuth.js';
import type { Store } from './store/index.js';

export interface SeedStation {
  id: string;
  siteId: string;
  protocol: StationProtocol;
  vendor: string;
  model: string;
  evses: { evseId: number; label: string; connectors: Connector[] }[];
  /** The station's password (OCPP security profile 1), stored hashed; none: it cannot connect until one is set. */
  password?: string;
}

export interface SeedNetwork {
  sites: Site[];
  stations: SeedStation[];
  users: { username: string; password: string; role: Role }[];
}

export const pointIdFor = (stationId: string, evseId: number): string => `${stationId}-${evseId}`;

export async function seedNetwork(store: Store, auth: Auth, network: SeedNetwork): Promise<void> {
  const credentials = new Map(
    await Promise.all(
      network.stations
        .filter((st) => st.password)
        .map(async (st) => [st.id, await hashStationPassword(st.password!)] as const),
    ),
  );
  store.changes.write('seed', () => {
    for (const site of network.sites) store.stations.upsertSite(site);
    for (const st of network.stations) {
      // A station seeded with its points has a registered layout: it may report on those points only.
      const layout = st.evses.length > 0 ? 'registered' : 'learned';
      store.stations.insert({
        id: st.id,
        siteId: st.siteId,
        protocol: st.protocol,
        vendor: st.vendor,
        model: st.model,
        layout,
      });
      const credential = credentials.get(st.id);
      if (credential) store.stations.setPassword(st.id, credential);
      for (const e of st.evses) {
        store.points.insert({
          id: pointIdFor(st.id, e.evseId),
          stationId: st.id,
          evseId: e.evseId,
          label: e.label,
          connectors: e.connectors,
        });
      }
    }
  });
  for (const u of network.users) await auth.setUser(u.username, u.role, u.password);
}
