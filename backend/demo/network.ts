// The demo network: a deterministic set of sites, stations and users that looks like a real operator's estate.
import type { Connector, Site, Role } from '../../common/model.js';
import { ROLES } from '../../common/model.js';
import { CITIES, PASSWORD_WORDS, PLACES, SITE_KINDS, STATION_KINDS, STREETS } from './names.js';
import type { ConnectorSpec, StationKind } from './names.js';
import { createRng } from './prng.js';
import type { StationQuirk } from './troubled.js';
import type { Rng } from './prng.js';

export interface DemoStation {
  id: string;
  siteId: string;
  protocol: 'ocpp1.6' | 'ocpp2.0.1';
  vendor: string;
  model: string;
  evses: { evseId: number; label: string; connectors: Connector[] }[];
  /** A station of the troubled site misbehaves on purpose (troubled.ts). */
  quirk?: StationQuirk;
}
export interface DemoUser {
  username: string;
  password: string;
  role: Role;
}
export interface DemoNetwork {
  sites: Site[];
  stations: DemoStation[];
  users: DemoUser[];
}

export const DEFAULT_DEMO_SEED = 1;
export const DEFAULT_DEMO_SITES = 12;
export const DEFAULT_DEMO_POINTS = 150;

/** The point id the backend and the simulator use for an EVSE of a station. */
export function pointIdOf(stationId: string, evseId: number): string {
  return `${stationId}-${evseId}`;
}

export function generateDemoNetwork(opts: { seed?: number; sites?: number; pointsTarget?: number } = {}): DemoNetwork {
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const siteCount = Math.max(1, Math.floor(opts.sites ?? DEFAULT_DEMO_SITES));
  const pointsTarget = Math.max(0, Math.floor(opts.pointsTarget ?? DEFAULT_DEMO_POINTS));
  const rng = createRng(seed);
  const places = shuffled(rng, PLACES);
  const sites: Site[] = [];
  const stations: DemoStation[] = [];
  const perSite = splitPoints(rng, pointsTarget, siteCount);
  for (let i = 0; i < siteCount; i++) {
    const place = places[i % places.length];
    const round = Math.floor(i / places.length);
    const code = round === 0 ? place.code : `${place.code}${round + 1}`;
    const site = buildSite(rng, place.name, place.street, code, round);
    sites.push(site);
    buildStations(rng, site.id, code, perSite[i], stations);
  }
  return { sites, stations, users: demoUsers(rng) };
}

/** One site: "<place> <kind>" in a city, with a street address. */
function buildSite(rng: Rng, placeName: string, placeStreet: string | undefined, code: string, round: number): Site {
  const kind = rng.pick(SITE_KINDS);
  const city = rng.pick(CITIES);
  const street = placeStreet ?? rng.pick(STREETS);
  const postcode = `${city.postcode}${rng.int(1, 28)} ${rng.int(1, 9)}${letter(rng)}${letter(rng)}`;
  return {
    id: `site-${code.toLowerCase()}`,
    name: round === 0 ? `${placeName} ${kind}` : `${placeName} ${kind} ${round + 1}`,
    city: city.name,
    address: `${rng.int(1, 240)} ${street}, ${postcode}`,
    timeZone: 'Europe/London',
  };
}

/** Stations for one site until it has `points` EVSEs; appended to `out`. */
function buildStations(rng: Rng, siteId: string, code: string, points: number, out: DemoStation[]): void {
  let remaining = points;
  let bay = 0;
  const weights = STATION_KINDS.map((k) => k.weight);
  for (let n = 1; remaining > 0; n++) {
    const kind = rng.weighted(STATION_KINDS, weights);
    const protocol = rng.chance(kind.share201) ? 'ocpp2.0.1' : 'ocpp1.6';
    const layout = layoutFor(kind, protocol);
    const built = rng.chance(0.25) ? rng.int(1, layout.length) : layout.length;
    const count = Math.min(built, remaining);
    remaining -= count;
    const stationId = `VB-${code}-${String(n).padStart(2, '0')}`;
    out.push({
      id: stationId,
      siteId,
      protocol,
      vendor: kind.vendor,
      model: kind.model,
      evses: layout.slice(0, count).map((specs, i) => ({
        evseId: i + 1,
        label: `Bay ${++bay}`,
        connectors: specs.map((s, j): Connector => ({ id: j + 1, type: s.type, maxKw: s.maxKw })),
      })),
    });
  }
}

/** OCPP 2.0.1 builds keep several connectors on one EVSE; a 1.6 build gives each connector its own connectorId. */
function layoutFor(kind: StationKind, protocol: DemoStation['protocol']): readonly (readonly ConnectorSpec[])[] {
  return protocol === 'ocpp2.0.1' ? kind.layout : kind.layout.flat().map((c) => [c]);
}

/** Splits `total` into `parts` counts that vary by site (0.5×–1.5× the mean), at least 1 each when there are enough. */
export function splitPoints(rng: Rng, total: number, parts: number): number[] {
  const min = total >= parts ? 1 : 0;
  const weights = Array.from({ length: parts }, () => rng.range(0.5, 1.5));
  const sum = weights.reduce((a, b) => a + b, 0);
  const spare = total - min * parts;
  const counts = weights.map((w) => min + Math.floor((spare * w) / sum));
  let left = total - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % parts, left--) counts[i]++;
  return counts;
}

/** One demo user per role, named after the role, with a generated password. */
function demoUsers(rng: Rng): DemoUser[] {
  return ROLES.map((role) => ({
    username: role,
    password: `${rng.pick(PASSWORD_WORDS)}-${rng.pick(PASSWORD_WORDS)}-${rng.int(10, 99)}`,
    role,
  }));
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function letter(rng: Rng): string {
  return 'ABDEFGHJLNPQRSTUWXYZ'[rng.int(0, 19)];
}
