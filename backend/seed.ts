// Puts a generated network (sites, stations, points, users) into an empty store.
import type { Connector, Role, Site, StationProtocol } from '../common/model.js';
import type { Auth } from './auth.js';
import type { Store } from './store/index.js';

export interface SeedStation {
  id: string;
  siteId: string;
  protocol: StationProtocol;
  vendor: string;
  model: string;
  evses: { evseId: number; label: string; connectors: Connector[] }[];
}

export interface SeedNetwork {
  sites: Site[];
  stations: SeedStation[];
  users: { username: string; password: string; role: Role }[];
}

export const pointIdFor = (stationId: string, evseId: number): string => `${stationId}-${evseId}`;

export async function seedNetwork(store: Store, auth: Auth, network: SeedNetwork): Promise<void> {
  store.changes.write('seed', () => {
    for (const site of network.sites) store.stations.upsertSite(site);
    for (const st of network.stations) {
      store.stations.insert({ id: st.id, siteId: st.siteId, protocol: st.protocol, vendor: st.vendor, model: st.model });
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
