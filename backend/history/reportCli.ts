// `npm run backend -- report uptime --data DIR --from … --to …`: the CSV reports from a backend's store (also while a
// backend runs on it), with progress on stderr; Ctrl-C cancels and removes a partial --out file.
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { systemClock } from '../../common/clock.js';
import { uptimeReportQuerySchema } from '../../common/uptime.js';
import { describeIssues } from '../console/validation.js';
import { missingStore, storeLocationFromArgs } from '../store/location.js';
import { Store } from '../store/index.js';
import { UsageError, commandArgs, runCommand } from '../userCli.js';
import { REPORT_KINDS, uptimeReport } from './csvReport.js';
import { UptimeService } from './uptimeService.js';

export const REPORT_HELP = `Voltboard uptime reports (docs/uptime.md)

Usage:
  npm run backend -- report uptime --from WHEN --to WHEN [--kind monthly|outages] [--site ID] [--out FILE] [--data DIR]

  monthly   one row per port per calendar month (in the site's time zone): the rule's rolling twelve-month uptime,
            T_outage and T_excluded, and the month's own figures (the default)
  outages   one row per outage: its start, end, minutes, excluded minutes, status, cause and exclusion
  WHEN      an ISO time (2026-06-01T00:00:00Z) or a date (2026-06-01, midnight UTC); at most 400 days apart
  --out     write to FILE (default: standard output); progress goes to standard error
  --data    the backend's data folder (default ./data)
  --store S    where the store is instead: sqlite:DIR or postgres://USER@HOST:PORT/DB
`;

const whenOf = (s: string | undefined) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);

export async function reportCommand(argv: string[]): Promise<number> {
  return runCommand('report', REPORT_HELP, () => run(argv));
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = commandArgs(
    argv,
    {
      data: { type: 'string' },
      store: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      kind: { type: 'string' },
      site: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    'reports take no password',
  );
  if (values.help || positionals[0] !== 'uptime' || positionals.length > 1) {
    process.stdout.write(REPORT_HELP);
    return values.help ? 0 : 2;
  }
  const kind = values.kind ?? 'monthly';
  if (!(REPORT_KINDS as readonly string[]).includes(kind))
    throw new UsageError(`--kind must be one of ${REPORT_KINDS.join(', ')}`);
  const parsed = uptimeReportQuerySchema.safeParse({
    kind,
    from: whenOf(values.from),
    to: whenOf(values.to),
    site: values.site,
  });
  if (!parsed.success) throw new UsageError(describeIssues(parsed.error));
  const location = storeLocationFromArgs(values.store, values.data);
  const missing = missingStore(location);
  if (missing) throw new Error(missing);
  const store = new Store({ ...location, log: () => undefined });
  const out: WriteStream | NodeJS.WriteStream = values.out ? createWriteStream(values.out) : process.stdout;
  let cancelled = false;
  const cancel = () => (cancelled = true);
  process.once('SIGINT', cancel);
  try {
    const q = parsed.data;
    if (q.site !== undefined && !store.stations.site(q.site)) throw new Error(`no site ${q.site}`);
    let lastShown = 0;
    const lines = uptimeReport(store, new UptimeService(store, systemClock), {
      kind: q.kind,
      period: { from: Date.parse(q.from), to: Date.parse(q.to) },
      siteId: q.site,
      progress: (done, total) => {
        const now = Date.now();
        if (now - lastShown < 500 && done < total) return;
        lastShown = now;
        process.stderr.write(
          `report: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} ports (${Math.round((done / total) * 100)} %)\n`,
        );
      },
    });
    let n = 0;
    for (const l of lines) {
      // A turn of the event loop now and then lets Ctrl-C through.
      if (++n % 500 === 0) await new Promise<void>((r) => setImmediate(r));
      if (cancelled) break;
      if (!out.write(l)) await new Promise<void>((r) => out.once('drain', r));
    }
    if (out !== process.stdout) await new Promise<void>((r) => (out as WriteStream).end(r));
    if (cancelled) {
      if (values.out) rmSync(values.out, { force: true });
      process.stderr.write('report: cancelled\n');
      return 130;
    }
    process.stderr.write(`report: ${n - 1} rows\n`);
    return 0;
  } finally {
    process.off('SIGINT', cancel);
    store.close();
  }
}
