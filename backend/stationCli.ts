// `npm run backend -- station password ID`, `station list`: station credentials (OCPP security profile 1) set by an
// admin on the store, also while a backend runs on it (the backend reads the stored hash at every connection).
import { generateStationPassword, hashStationPassword, stationPasswordProblem } from './ocpp/stationAuth.js';
import { describeStore, missingStore, storeLocationFromArgs } from './store/location.js';
import { Store } from './store/index.js';
import { UsageError, commandArgs, passwordFromStdin, runCommand } from './userCli.js';

export const STATION_HELP = `Voltboard stations

Usage:
  npm run backend -- station password ID [--data DIR] [--password-stdin]
  npm run backend -- station password ID --clear [--data DIR]
  npm run backend -- station list [--data DIR]

  password  sets the station's password for HTTP Basic authentication (OCPP security profile 1; the username is the
            station id). Without --password-stdin a random one (32 characters) is made and printed once: configure it
            on the station (OCPP 1.6 AuthorizationKey, 2.0.1 BasicAuthPassword). With --password-stdin the first line
            of stdin is used (16-40 characters). Only a salted scrypt hash is stored. The station's next connection
            needs it; a connection open now stays open.
  --clear   removes the password: the station is then refused unless the backend runs with
            --allow-unauthenticated-stations.
  list      every station: site, protocol, layout (registered / learned), points, password set or not, connected.
  --data DIR   the backend's data folder (default ./data)
  --store S    where the store is instead: sqlite:DIR or postgres://USER@HOST:PORT/DB
`;

export async function stationCommand(argv: string[]): Promise<number> {
  return runCommand('station', STATION_HELP, () => run(argv));
}

async function run(argv: string[]): Promise<number> {
  const parsed = commandArgs(
    argv,
    {
      data: { type: 'string' },
      store: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      clear: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    'use --password-stdin, or let one be made',
  );
  const { values, positionals } = parsed;
  const [action, id, ...extra] = positionals;
  if (values.help || !action) {
    process.stdout.write(STATION_HELP);
    return values.help ? 0 : 2;
  }
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const location = storeLocationFromArgs(values.store, values.data);
  const missing = missingStore(location);
  if (missing) throw new Error(missing);

  if (action === 'list') {
    if (id) throw new UsageError('station list takes no id');
    const store = new Store({ ...location, log: () => undefined });
    try {
      const rows = store.stations
        .list()
        .map((s) => [
          s.id,
          s.site_id,
          s.protocol,
          s.layout,
          String(s.points),
          s.password_set_at ? `set ${s.password_set_at}` : 'NONE',
          s.connected ? 'connected' : '-',
        ]);
      if (rows.length === 0) console.log('no stations');
      const head = ['STATION', 'SITE', 'PROTOCOL', 'LAYOUT', 'POINTS', 'PASSWORD', 'CONNECTED'];
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
      for (const r of rows.length ? [head, ...rows] : [])
        console.log(
          r
            .map((c, i) => c.padEnd(widths[i]))
            .join('  ')
            .trimEnd(),
        );
      return 0;
    } finally {
      store.close();
    }
  }

  if (action !== 'password') throw new UsageError(`unknown station command "${action}"`);
  if (!id) throw new UsageError('station password needs the station ID');
  let password: string | null = null;
  let generated = false;
  if (!values.clear) {
    if (values['password-stdin']) password = await passwordFromStdin();
    else {
      password = generateStationPassword();
      generated = true;
    }
    const problem = stationPasswordProblem(password);
    if (problem) throw new Error(problem);
  }
  const credential = password === null ? null : await hashStationPassword(password);
  const store = new Store({ ...location, log: () => undefined });
  try {
    if (!store.stations.get(id)) throw new Error(`no station "${id}" in ${describeStore(location)}`);
    store.stations.setPassword(id, credential);
  } finally {
    store.close();
  }
  if (values.clear)
    console.log(`cleared the password of ${id}: it is refused unless the backend allows unauthenticated stations`);
  else if (generated)
    console.log(`set a new password for ${id} (shown only now; configure it on the station):\n${password}`);
  else console.log(`set the password of ${id}`);
  return 0;
}
