// `npm run backend -- ocpi …`: an admin sets up our OCPI party, publishes sites and manages roaming partners on the
// store (also while a backend runs on it: the backend picks changes up within 30 s). Tokens are printed once, never
// logged; token A to register with a partner is read from stdin.
import { missingStore, storeLocationFromArgs } from '../store/location.js';
import { Store } from '../store/index.js';
import { OcpiRepo } from '../store/ocpi.js';
import { UsageError, commandArgs, passwordFromStdin, runCommand } from '../userCli.js';
import { partnerUrlGuard } from './addressGuard.js';
import { invitePartner, publishSite, registerPartner, removePartner, setSuspended } from './admin.js';
import { partySettingsSchema, siteLocationSchema } from './schemas.js';
import { ourUrls, publicBase, readParty, saveParty } from './settings.js';

export const OCPI_HELP = `Voltboard OCPI 2.2.1 (roaming partners: docs/ocpi.md)

Usage:
  npm run backend -- ocpi party --country-code GB --party-id VBD --name NAME [--public-url URL] [--data DIR]
  npm run backend -- ocpi site SITE_ID --country GBR --lat 51.50142 --lon=-0.14189 [--postal-code CODE] [--data DIR]
  npm run backend -- ocpi invite NAME [--data DIR]
  npm run backend -- ocpi register NAME --versions-url URL [--allow-private-urls] [--data DIR]
                                                                            (their token A on stdin)
  npm run backend -- ocpi list [--data DIR]
  npm run backend -- ocpi suspend|resume|remove PARTNER_ID [--data DIR]

  party     our own party: ISO country code, party id, name, and the public URL partners reach this backend at
            (default: the backend's own URL). OCPI is off until this is set.
  site      publishes a site as an OCPI Location with the details our sites do not carry (ISO 3166 alpha-3 country,
            coordinates with 5 to 7 decimals); partners get it with a PUT.
  invite    makes a partner and its token A, printed once with our versions URL: give both to the partner out of
            band; it registers with them (the credentials handshake) and token A is spent.
  register  registers with a partner that gave us its versions URL and token A (read from stdin). A URL that is
            not http(s), or that resolves to a private, loopback or link-local address, is refused unless
            --allow-private-urls is given.
  list      partners with their state and deliveries: pending, accepted, refused, failing since.
  suspend   stops pushes to a partner and refuses its Locations requests; resume sends it the newest state.
  remove    ends a partnership: its tokens stop working, nothing more is sent.
  --data DIR   the backend's data folder (default ./data)
  --store S    where the store is instead: sqlite:DIR or postgres://USER@HOST:PORT/DB
`;

export async function ocpiCommand(argv: string[]): Promise<number> {
  return runCommand('ocpi', OCPI_HELP, () => run(argv));
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = commandArgs(
    argv,
    {
      data: { type: 'string' },
      store: { type: 'string' },
      'country-code': { type: 'string' },
      'party-id': { type: 'string' },
      name: { type: 'string' },
      'public-url': { type: 'string' },
      country: { type: 'string' },
      lat: { type: 'string' },
      lon: { type: 'string' },
      'postal-code': { type: 'string' },
      'versions-url': { type: 'string' },
      'allow-private-urls': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    'token A is read from stdin',
  );
  const [action, arg, ...extra] = positionals;
  if (values.help || !action) {
    process.stdout.write(OCPI_HELP);
    return values.help ? 0 : 2;
  }
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const location = storeLocationFromArgs(values.store, values.data);
  const missing = missingStore(location);
  if (missing) throw new Error(missing);
  const at = () => new Date().toISOString();
  const store = new Store({ ...location, log: () => undefined });
  try {
    const repo = new OcpiRepo(store.db);
    switch (action) {
      case 'party': {
        const parsed = partySettingsSchema.safeParse({
          countryCode: values['country-code'],
          partyId: values['party-id'],
          name: values.name,
          publicUrl: values['public-url'] ?? null,
        });
        if (!parsed.success)
          throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'));
        saveParty(repo, parsed.data);
        console.log(`OCPI party ${parsed.data.countryCode}*${parsed.data.partyId} (${parsed.data.name}) set`);
        return 0;
      }
      case 'site': {
        if (!arg) throw new UsageError('ocpi site needs the site id');
        const details = siteLocationSchema.safeParse({
          country: values.country,
          latitude: values.lat,
          longitude: values.lon,
          postalCode: values['postal-code'] ?? null,
        });
        if (!details.success)
          throw new UsageError(details.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('\n'));
        publishSite(store, repo, arg, details.data, at());
        console.log(`site ${arg} is published as an OCPI location`);
        return 0;
      }
      case 'invite': {
        const party = requireParty(repo);
        const { partner, tokenA } = invitePartner(repo, arg ?? '', at());
        console.log(`partner ${partner.id} (${partner.name}) invited. Give it, out of band and only now shown:`);
        const versions = party.publicUrl
          ? ourUrls(publicBase(party, '')).versions
          : "<this backend's URL>/ocpi/versions";
        console.log(`  versions URL: ${versions}`);
        console.log(`  token A:      ${tokenA}`);
        return 0;
      }
      case 'register': {
        requireParty(repo);
        if (!arg || !values['versions-url']) throw new UsageError('ocpi register needs a NAME and --versions-url URL');
        const tokenA = await passwordFromStdin();
        const partner = await registerPartner(repo, {
          name: arg,
          versionsUrl: values['versions-url'],
          tokenA,
          backendUrl: null,
          guard: partnerUrlGuard({ allowPrivate: values['allow-private-urls'] ?? false }),
          at,
        });
        console.log(`registered with partner ${partner.id} (${partner.name})`);
        return 0;
      }
      case 'list': {
        const partners = repo.partners();
        if (partners.length === 0) console.log('no partners');
        for (const p of partners) {
          const c = repo.counts(p.id);
          const failing = p.failing_since ? `  failing since ${p.failing_since}: ${p.last_error}` : '';
          console.log(
            `${p.id}  ${p.name}  ${p.state}  pending ${c.pending}  accepted ${c.accepted}  refused ${c.refused}${failing}`,
          );
        }
        return 0;
      }
      case 'suspend':
      case 'resume':
      case 'remove': {
        if (!arg) throw new UsageError(`ocpi ${action} needs the partner id (see ocpi list)`);
        if (action === 'remove') removePartner(repo, arg);
        else setSuspended(repo, arg, action === 'suspend');
        console.log(
          `partner ${arg}: ${action === 'remove' ? 'removed' : action === 'suspend' ? 'suspended' : 'resumed'}`,
        );
        return 0;
      }
      default:
        throw new UsageError(`unknown ocpi command "${action}"`);
    }
  } finally {
    store.close();
  }
}

function requireParty(repo: OcpiRepo) {
  const party = readParty(repo);
  if (!party) throw new Error('set our OCPI party first: ocpi party --country-code … --party-id … --name …');
  return party;
}
