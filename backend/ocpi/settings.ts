// Our own OCPI party (country code, party id, name, public URL), kept in the store's meta table, and our URLs.
import type { OcpiRepo } from '../store/ocpi.js';
import { OCPI_VERSION, partySettingsSchema, type PartySettings } from './schemas.js';

export const OCPI_BASE_PATH = '/ocpi';

/** Our party, or null while OCPI is not set up (the /ocpi/ endpoints then answer 404 and nothing is pushed). */
export function readParty(repo: OcpiRepo): PartySettings | null {
  const text = repo.setting('party');
  if (!text) return null;
  const parsed = partySettingsSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

export function saveParty(repo: OcpiRepo, party: PartySettings): void {
  repo.setSetting('party', JSON.stringify(partySettingsSchema.parse(party)));
}

/** Where partners reach us: the configured public URL, else the backend's own. No trailing slash. */
export function publicBase(party: PartySettings, backendUrl: string): string {
  return (party.publicUrl ?? backendUrl).replace(/\/+$/, '');
}

export const ourUrls = (base: string) => ({
  versions: `${base}${OCPI_BASE_PATH}/versions`,
  version: `${base}${OCPI_BASE_PATH}/${OCPI_VERSION}`,
  credentials: `${base}${OCPI_BASE_PATH}/${OCPI_VERSION}/credentials`,
  locations: `${base}${OCPI_BASE_PATH}/${OCPI_VERSION}/locations`,
});
