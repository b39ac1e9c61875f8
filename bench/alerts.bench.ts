// 1,000 points faulting within one second: how long, after the hold-off, until every alert is raised and on a
// console, how fast the signed webhooks go out, and the grid's frames while the 1,000 alerts reach a console's page
// against its frames while the 1,000 faults themselves arrived (both windows carry 1,000 point changes in a second: in the second, 200 other points change five times).
// Real backend (rules on a ManualClock moved past the hold-off), real OCPP-J stations reporting the faults, a real
// socket.io console, a real console core with its page in Chromium, a real HTTP receiver.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RPCClient } from 'ocpp-rpc';
import type { Alerts } from '../common/alerts.js';
import { CONSOLE_EVENTS } from '../common/protocol.js';
import { connectConsole, login } from '../tests/support/backendHarness.js';
import { BENCH_USER } from './backendWithNetwork.js';
import { BENCH_STATION_PASSWORD, clockedNetworkBackend } from './clockedNetworkBackend.js';
import { figure, type Figure } from './figures.js';
import { openAlertsPage, type AlertsPage, type FrameFigures } from './alertsFrames.js';

const FAULTS = 1000;
/** Every alert raised and on a console within this after the hold-off passed. */
const RAISED_TARGET_MS = 2000;
/** Webhook events delivered per second to one receiver, at least. */
const WEBHOOKS_PER_S_TARGET = 200;
/** How long the page's frames are timed, from the first change on. */
const FRAME_WINDOW_MS = 3000;
/** A 60 Hz frame: the grid's p95 while the alerts arrive stays within it, as it does at 2,000 changes/s. */
const FRAME_P95_TARGET_MS = 17;
const log = (line: string) => process.stderr.write(`bench: alerts: ${line}\n`);
const describe = (f: FrameFigures) =>
  `${f.frames} frames, p95 ${f.p95Ms.toFixed(1)} ms, over 25 ms ${f.over25Pct.toFixed(1)} %, long tasks ${f.longTasks}`;

export async function alertsBench(): Promise<Figure[]> {
  const { clock, dir, network, backend } = await clockedNetworkBackend({
    name: 'alerts',
    sites: 100,
    points: FAULTS + 200,
    seed: 9,
  });
  let delivered = 0;
  let firstAt = 0;
  let lastAt = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      lastAt = performance.now();
      if (delivered++ === 0) firstAt = lastAt;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  backend.store.webhooks.add(
    `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    null,
    new Date(clock.now()).toISOString(),
  );
  const stations: InstanceType<typeof RPCClient>[] = [];
  let page: AlertsPage | null = null;
  try {
    for (const s of network.stations) {
      const client = new RPCClient({
        endpoint: backend.ocppUrl,
        identity: s.id,
        password: BENCH_STATION_PASSWORD,
        protocols: [s.protocol],
        reconnect: false,
        pingIntervalMs: 0,
      } as never);
      await client.connect();
      stations.push(client);
    }
    log(`${stations.length} stations connected`);
    const token = (await login(backend.url, BENCH_USER.username, BENCH_USER.password)).body.token as string;
    const console_ = await connectConsole(backend.url, token);
    const onConsole = new Set<string>();
    let allOnConsoleAt = 0;
    console_.socket.on(CONSOLE_EVENTS.alerts, (m: Alerts) => {
      for (const a of m.alerts) if (a.kind === 'pointFaulted' && a.pointId) onConsole.add(a.pointId);
      if (onConsole.size >= FAULTS && !allOnConsoleAt) allOnConsoleAt = performance.now();
    });
    page = await openAlertsPage(backend.url, BENCH_USER, log);

    // 1,000 points report Faulted within a second.
    const byStation = new Map(network.stations.map((s, i) => [s.id, { client: stations[i], protocol: s.protocol }]));
    const points = network.stations.flatMap((s) => s.evses.map((e) => ({ stationId: s.id, evseId: e.evseId })));
    const report = (targets: typeof points, status: 'Faulted' | 'Busy' | 'Available') =>
      Promise.all(
        targets.map(({ stationId, evseId }) => {
          const { client, protocol } = byStation.get(stationId)!;
          const timestamp = new Date().toISOString();
          const v16 = status === 'Busy' ? 'Charging' : status;
          return client.call(
            'StatusNotification',
            protocol === 'ocpp1.6'
              ? {
                  connectorId: evseId,
                  status: v16,
                  errorCode: status === 'Faulted' ? 'GroundFailure' : 'NoError',
                  timestamp,
                }
              : { timestamp, connectorStatus: status === 'Busy' ? 'Occupied' : status, evseId, connectorId: 1 },
          );
        }),
      );
    const without = await page.framesDuring(
      () => report(points.slice(0, FAULTS), 'Faulted').then(() => undefined),
      FRAME_WINDOW_MS,
    );
    log(`page while 1,000 faults arrive (no alerts yet): ${describe(without)}`);
    for (let s = 0; s < 119; s++) clock.advance(1000);
    await new Promise((r) => setTimeout(r, 200));
    let started = 0;
    // The hold-off passes: 1,000 alerts reach the page, and the other 200 points change five times within the second.
    const withAlerts = await page.framesDuring(async () => {
      started = performance.now();
      clock.advance(2000);
      const others = points.slice(FAULTS);
      for (const status of ['Busy', 'Available', 'Busy', 'Available', 'Busy'] as const) {
        await report(others, status);
        await new Promise((r) => setTimeout(r, 150));
      }
    }, FRAME_WINDOW_MS);
    log(`page while 1,000 alerts arrive: ${describe(withAlerts)}`);
    while (onConsole.size < FAULTS && performance.now() - started < 30_000) await new Promise((r) => setTimeout(r, 10));
    const raisedMs = (allOnConsoleAt || performance.now()) - started;
    const shown = await page.page.getByTestId('open-alerts').getAttribute('data-open');
    log(`the page's header counts ${shown} open alerts`);
    while (delivered < FAULTS && performance.now() - started < 60_000) await new Promise((r) => setTimeout(r, 20));
    const perS = delivered > 1 ? ((delivered - 1) / Math.max(1, lastAt - firstAt)) * 1000 : 0;
    log(
      `${onConsole.size} alerts on the console in ${Math.round(raisedMs)} ms; ${delivered} webhooks at ${Math.round(perS)}/s`,
    );
    console_.close();
    return [
      figure(
        `${FAULTS} points faulting within one second: every alert raised and on a console after the hold-off`,
        onConsole.size === FAULTS ? raisedMs : Infinity,
        'ms',
        '<=',
        RAISED_TARGET_MS,
      ),
      figure('alert webhooks delivered to one receiver', perS, 'per s', '>=', WEBHOOKS_PER_S_TARGET),
      figure(
        `grid frame time p95 while 1,000 alerts reach the page (${without.p95Ms.toFixed(1)} ms while the faults came, no alerts)`,
        withAlerts.p95Ms,
        'ms',
        '<=',
        FRAME_P95_TARGET_MS,
      ),
      figure(
        `grid frames over 25 ms while 1,000 alerts reach the page (${without.over25Pct.toFixed(1)} % while the faults came, no alerts)`,
        withAlerts.over25Pct,
        '%',
        '<=',
        Math.max(1, Math.ceil(without.over25Pct * 10) / 10),
      ),
      figure('open alerts the page counts after 1,000 points faulted', Number(shown), 'alerts', '==', FAULTS),
    ];
  } finally {
    await page?.close();
    await Promise.all(stations.map((c) => c.close({ force: true }).catch(() => undefined)));
    await backend.stop();
    receiver.closeAllConnections();
    receiver.close();
    dir.remove();
  }
}
