// What an admin does with OCPI (from the CLI, or tests): set up our party, publish a site, invite, suspend, resume and
// remove partners. Tokens are printed once by the caller and never logged here.
import type { Store } from '../store/index.js';
import type { OcpiRepo, PartnerRow } from '../store/ocpi.js';
import type { UrlGuard } from './addressGuard.js';
import { newToken, registerWithPartner } from './registration.js';
import { siteLocationSchema, type SiteLocation } from './schemas.js';
import { publicBase, readParty } from './settings.js';

/** An admin's request that cannot be done as asked: said to the admin (CLI or console), never an internal error. */
export class OcpiAdminError extends Error {
  constructor(
    readonly code: 'notFound' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

/** Publishes a site with the details OCPI needs that our sites do not carry; partners get it with a location PUT. */
export function publishSite(store: Store, repo: OcpiRepo, siteId: string, details: SiteLocation, at: string): void {
  const d = siteLocationSchema.parse(details);
  if (!store.stations.site(siteId)) throw new Error(`no site ${siteId}`);
  repo.tx('publish site', () => {
    repo.setSiteLocation(siteId, d, at);
    for (const partner of repo.queueingPartnerIds()) repo.enqueue(partner, 'location', siteId, at);
  });
}

/** A new partner and the token A to give it out of band (with our versions URL); it registers with it. */
export function invitePartner(repo: OcpiRepo, name: string, at: string): { partner: PartnerRow; tokenA: string } {
  const tokenA = newToken();
  return { partner: repo.invite(name.trim().slice(0, 100) || 'partner', tokenA, at), tokenA };
}

/** Suspended: nothing is sent and its calls to Locations are refused; what changes meanwhile is sent on resume. */
export function setSuspended(repo: OcpiRepo, id: string, suspended: boolean): void {
  const p = repo.partner(id);
  if (!p || p.state === 'removed') throw new OcpiAdminError('notFound', `no partner ${id}`);
  if (suspended && p.state !== 'registered')
    throw new OcpiAdminError('invalid', `partner ${id} is ${p.state}, not registered`);
  if (!suspended && p.state !== 'suspended') throw new OcpiAdminError('invalid', `partner ${id} is not suspended`);
  repo.setState(id, suspended ? 'suspended' : 'registered');
}

export function removePartner(repo: OcpiRepo, id: string): void {
  const p = repo.partner(id);
  if (!p || p.state === 'removed') throw new OcpiAdminError('notFound', `no partner ${id}`);
  repo.unregister(id);
}

/**
 * We register with a partner that gave us its versions URL and token A (the CLI's `ocpi register` and the console's
 * Partners view). `backendUrl`: where partners call us back when our party has no public URL (null: required).
 */
export async function registerPartner(
  repo: OcpiRepo,
  opts: {
    name: string;
    versionsUrl: string;
    tokenA: string;
    backendUrl: string | null;
    guard: UrlGuard;
    at: () => string;
    /** How long the whole handshake may take (default: registration.ts's REGISTRATION_DEADLINE_MS). */
    deadlineMs?: number;
  },
): Promise<PartnerRow> {
  const party = readParty(repo);
  if (!party)
    throw new OcpiAdminError('invalid', 'set our OCPI party first: ocpi party --country-code … --party-id … --name …');
  if (!party.publicUrl && !opts.backendUrl)
    throw new OcpiAdminError(
      'invalid',
      'set our public URL first (ocpi party … --public-url URL): the partner calls it back',
    );
  return registerWithPartner(repo, {
    name: opts.name.trim().slice(0, 100) || 'partner',
    versionsUrl: opts.versionsUrl,
    tokenA: opts.tokenA,
    party,
    base: publicBase(party, opts.backendUrl ?? ''),
    at: opts.at,
    guard: opts.guard,
    deadlineMs: opts.deadlineMs,
  });
}
