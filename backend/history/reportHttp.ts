// GET /api/reports/uptime.csv: a signed-in person's CSV report, streamed as it is computed. Closing the connection
// cancels it (nothing more is computed).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { roleAllows } from '../../common/model.js';
import {
  monthsOf,
  UPTIME_REPORT_PATH,
  UPTIME_REPORT_ROWS_HEADER,
  uptimeReportQuerySchema,
} from '../../common/uptime.js';
import type { Auth } from '../auth.js';
import { describeIssues } from '../console/validation.js';
import type { Store } from '../store/index.js';
import { uptimeReport } from './csvReport.js';
import type { UptimeService } from './uptimeService.js';

/** Lines written between turns of the event loop, so a large report does not hold up stations and consoles. */
const LINES_PER_TURN = 500;

export interface ReportHttpDeps {
  store: Store;
  auth: Auth;
  service: UptimeService;
  log: (line: string) => void;
}

export const isUptimeReportPath = (path: string): boolean => path === UPTIME_REPORT_PATH;

function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error: { code, message } }));
}

export function uptimeReportHandler(deps: ReportHttpDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET') return refuse(res, 405, 'invalid', 'use GET');
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const session = m ? deps.auth.session(m[1]) : null;
    if (!session) return refuse(res, 401, 'unauthenticated', 'sign in first (Authorization: Bearer <token>)');
    if (!roleAllows(session.role, 'read')) return refuse(res, 403, 'forbidden', 'your role may not read reports');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parsed = uptimeReportQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success) return refuse(res, 400, 'invalid', describeIssues(parsed.error));
    const q = parsed.data;
    if (q.site !== undefined && !deps.store.stations.site(q.site))
      return refuse(res, 404, 'notFound', `no site ${q.site}`);
    let cancelled = false;
    res.on('close', () => (cancelled = !res.writableFinished));
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="uptime-${q.kind}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...(q.kind === 'monthly'
        ? {
            [UPTIME_REPORT_ROWS_HEADER]: String(monthlyRows(deps.store, Date.parse(q.from), Date.parse(q.to), q.site)),
          }
        : {}),
    });
    const lines = uptimeReport(deps.store, deps.service, {
      kind: q.kind,
      period: { from: Date.parse(q.from), to: Date.parse(q.to) },
      siteId: q.site,
    });
    const pump = async () => {
      let n = 0;
      for (const l of lines) {
        if (cancelled) {
          deps.log(`reports: ${session.username}'s ${q.kind} report cancelled after ${n} lines`);
          return;
        }
        n++;
        if (!res.write(l)) await drainedOrClosed(res);
        else if (n % LINES_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
      res.end();
    };
    pump().catch((err: unknown) => {
      deps.log(`reports: ${q.kind} report failed: ${(err as Error).stack ?? String(err)}`);
      res.destroy();
    });
  };
}

/** Resolves on the response's next drain or its close; the other listener is removed (one was left per wait). */
export function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** The rows a monthly report will have: each port's months in its site's zone. */
function monthlyRows(store: Store, from: number, to: number, siteId: string | undefined): number {
  const monthsOfSite = new Map<string, number>();
  let rows = 0;
  for (const p of store.points.all()) {
    if (siteId !== undefined && p.siteId !== siteId) continue;
    let months = monthsOfSite.get(p.siteId);
    if (months === undefined) {
      months = monthsOf({ from, to }, store.stations.site(p.siteId)?.timeZone ?? 'UTC').length;
      monthsOfSite.set(p.siteId, months);
    }
    rows += months;
  }
  return rows;
}
