// 10,000 points each with its own maintenance window, all starting in the same minute: how long until every point is
// in Maintenance on a console and every ChangeAvailability was sent and answered, and whether people's edits on
// other points still reach a second console as fast as usual meanwhile. Real backend (its scheduler on a
// ManualClock moved to the start), real OCPP-J stations in their own process, real socket.io consoles.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../common/clock.js';
import type { Changes } from '../common/protocol.js';
import { CONSOLE_EVENTS } from '../common/protocol.js';
import { Auth } from '../backend/auth.js';
import { hashStationPassword } from '../backend/ocpp/stationAuth.js';
import { seedNetwork } from '../backend/seed.js';
import { startBackend } from '../backend/server.js';
import { connectConsole, login, setStatus } from '../tests/support/backendHarness.js';
import { tempDir } from '../tests/support/tempDir.js';
import { BENCH_USER } from './backendWithNetwork.js';
import { figure, type Figure } from './figures.js';
import { generateLargeNetwork } from '../tests/support/largeNetwork.js';

const WINDOWS = 10_000;
/** Every point in Maintenance on a console, and every ChangeAvailability answered, within this. */
const ALL_APPLIED_TARGET_MS = 20_000;
/** People's edits seen on a second console meanwhile: the cross-console target of the scale bench. */
const EDIT_P99_TARGET_MS = 150;
const STATION_PASSWORD = 'bench-station-password-1';
const here = path.dirname(fileURLToPath(import.meta.url));

export async function windowsBench(): Promise<Figure[]> {
  process.env.VB_MAX_CONNECTIONS_PER_ADDRESS ??= '20000';
  const clock = new ManualClock(Date.now());
  const dir = tempDir('bench-windows');
  const network = generateLargeNetwork({ sites: 400, points: WINDOWS + 400, seed: 5 });
  // The clock jumps a minute to the start: with the usual 30 s pings that jump alone would ping every station twice
  // at once, which no real minute does.
  const backend = await startBackend({
    port: 0,
    dataDir: dir.path,
    users: [BENCH_USER],
    clock,
    liveness: { pingIntervalMs: 3600_000 },
    log: () => undefined,
  });
  await seedNetwork(backend.store, new Auth(backend.store.users), { ...network, users: [] });
  const credential = await hashStationPassword(STATION_PASSWORD);
  backend.store.db.tx('bench station passwords', () => {
    for (const s of network.stations) backend.store.stations.setPassword(s.id, credential);
  });
  const fleet = fork(path.join(here, 'stationFleet.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  fleet.send({ ocppUrl: backend.ocppUrl, password: STATION_PASSWORD, stations: network.stations.map((s) => ({ id: s.id, protocol: s.protocol })) });
  try {
    await new Promise<void>((resolve, reject) => {
      fleet.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      fleet.once('exit', (code) => reject(new Error(`the station fleet exited (${code})`)));
    });
    process.stderr.write(`bench: windows: ${network.stations.length} stations connected\n`);
    const token = (await login(backend.url, BENCH_USER.username, BENCH_USER.password)).body.token as string;
    const observer = await connectConsole(backend.url, token);
    const editor = await connectConsole(backend.url, token);

    const points = backend.store.points.all();
    const inWindows = points.slice(0, WINDOWS).map((p) => p.id);
    const edited = points.slice(WINDOWS).map((p) => p.id);
    const startsAt = new Date(clock.now() + 60_000).toISOString();
    for (const pointId of inWindows) {
      backend.scheduler.plan(
        { id: randomUUID(), pointIds: [pointId], startsAt, endsAt: null, reason: 'Bench inspection', note: null },
        { username: BENCH_USER.username, role: 'admin' },
      );
    }
    process.stderr.write(`bench: windows: ${WINDOWS} windows planned\n`);

    // What the observer console has seen: each window point's operator status, and when each edit arrived.
    const inMaintenance = new Set<string>();
    const editSeen = new Map<string, number>();
    const windowSet = new Set(inWindows);
    observer.socket.on(CONSOLE_EVENTS.changes, (c: Changes) => {
      const at = performance.now();
      for (const p of c.points) {
        if (windowSet.has(p.id) && p.operator.status === 'Maintenance') inMaintenance.add(p.id);
        else if (p.operator.reason?.startsWith('bench edit ')) editSeen.set(p.operator.reason, at);
      }
    });

    // People keep editing other points, one every 100 ms, from the start of the minute until all is applied.
    const latencies: number[] = [];
    let editing = true;
    const edits = (async () => {
      for (let n = 0; editing; n++) {
        const pointId = edited[n % edited.length];
        const p = backend.store.points.get(pointId)!;
        const reason = `bench edit ${n}`;
        const sent = performance.now();
        await editor.request('mutate', {
          mutations: [setStatus([{ pointId, baseVersion: p.operator.version }], { status: n % 2 ? 'Maintenance' : 'OutOfService', reason })],
        });
        const waitUntil = sent + 2000;
        while (!editSeen.has(reason) && performance.now() < waitUntil) await new Promise((r) => setTimeout(r, 2));
        latencies.push((editSeen.get(reason) ?? waitUntil) - sent);
        await new Promise((r) => setTimeout(r, Math.max(0, 100 - (performance.now() - sent))));
      }
    })();
    await new Promise((r) => setTimeout(r, 1000));

    const started = performance.now();
    clock.advance(60_000);
    const answered = () => inWindows.every((id) => ['accepted', 'confirmed'].includes(backend.store.points.get(id)!.delivery.state));
    let appliedMs = Infinity;
    while (performance.now() - started < 120_000) {
      if (inMaintenance.size === WINDOWS && answered()) {
        appliedMs = performance.now() - started;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    editing = false;
    await edits;
    const sorted = [...latencies].sort((a, b) => a - b);
    const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? Infinity;
    process.stderr.write(
      `bench: windows: all applied in ${Math.round(appliedMs)} ms (${inMaintenance.size} on the console); ${latencies.length} edits, p50 ${Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0)} ms, p99 ${Math.round(p99)} ms, max ${Math.round(sorted.at(-1) ?? 0)} ms\n`,
    );
    observer.close();
    editor.close();
    return [
      figure(`${WINDOWS} windows starting in one minute: every point in Maintenance on a console and every ChangeAvailability answered`, appliedMs, 'ms', '<=', ALL_APPLIED_TARGET_MS),
      figure(`${WINDOWS} windows starting in one minute: edits on other points seen on a second console, p99`, p99, 'ms', '<=', EDIT_P99_TARGET_MS),
    ];
  } finally {
    fleet.kill('SIGTERM');
    await backend.stop();
    dir.remove();
  }
}
