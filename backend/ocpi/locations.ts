// Builds the OCPI Location and EVSE objects of a published site from what the store keeps (backend/store/ocpi.ts).
import type { Connector } from '../../common/model.js';
import type { EvseRow, LocationRow, OcpiRepo } from '../store/ocpi.js';
import type { EvseObject, EvseStatus, LocationObject, PartySettings } from './schemas.js';
import { ocpiConnectorOf, statusScheduleOf, utc, type WindowSpan } from './statusMapping.js';

/** What of a point is published besides its status; a change of it is a change of the location's layout. */
export interface EvseLayout {
  label: string;
  connectors: Connector[];
}

export function layoutKey(label: string, connectors: readonly Connector[]): string {
  const layout: EvseLayout = { label, connectors: connectors.map((c) => ({ id: c.id, type: c.type, maxKw: c.maxKw })) };
  return JSON.stringify(layout);
}

/** The EVSE object, or null when none of its connectors can be described (their type is not known). */
export function evseObjectOf(row: EvseRow, windows: readonly WindowSpan[], nowMs: number): EvseObject | null {
  const layout = JSON.parse(row.layout) as EvseLayout;
  const lastUpdated = utc(row.last_updated);
  const connectors = layout.connectors.flatMap((c) => ocpiConnectorOf(c, lastUpdated) ?? []);
  if (connectors.length === 0) return null;
  const schedule = statusScheduleOf(windows, nowMs);
  return {
    uid: row.uid,
    status: row.status as EvseStatus,
    ...(schedule ? { status_schedule: schedule } : {}),
    connectors,
    ...(layout.label ? { physical_reference: layout.label.slice(0, 16) } : {}),
    last_updated: lastUpdated,
  };
}

export function locationObjectOf(
  repo: OcpiRepo,
  row: LocationRow,
  party: PartySettings,
  nowMs: number,
): LocationObject {
  const windows = repo.windowsOfSite(row.site_id);
  const evses = repo
    .evsesOfSite(row.site_id)
    .flatMap((e) => evseObjectOf(e, windows.get(e.point_id) ?? [], nowMs) ?? []);
  return {
    country_code: party.countryCode,
    party_id: party.partyId,
    id: row.location_id,
    publish: true,
    name: row.name.slice(0, 255),
    address: row.address.slice(0, 45),
    city: row.city.slice(0, 45),
    ...(row.postal_code ? { postal_code: row.postal_code } : {}),
    country: row.country,
    coordinates: { latitude: row.latitude, longitude: row.longitude },
    evses,
    operator: { name: party.name },
    time_zone: row.time_zone,
    last_updated: utc(row.last_updated),
  };
}
