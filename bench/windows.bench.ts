// 10,000 points each with its own maintenance window, all starting in the same minute: how long until every point is
// in Maintenance on a console and every ChangeAvailability was sent and answered, and whether people's edits on
// other points still reach a second console as fast as usual meanwhile. Real backend in this process (its scheduler
// on a ManualClock moved to a second before the start, then a second per second), real OCPP-J stations in their own process, real socket.io consoles in
// another (windowsConsoles.ts), so neither's work is counted as the backend's. VB_BENCH_PROFILE=dir writes a CPU
// profile of the backend over the measured minute.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { login } from '../tests/support/backendHarness.js';
import { BENCH_USER } from './backendWithNetwork.js';
import { BENCH_STATION_PASSWORD, clockedNetworkBackend } from './clockedNetworkBackend.js';
import { figure, type Figure } from './figures.js';
import type { WindowsConsolesCommand, WindowsConsolesReport } from './windowsConsoles.js';

const WINDOWS = 10_000;
/** Every point in Maintenance on a console, and every ChangeAvailability answered, within this. */
const ALL_APPLIED_TARGET_MS = 20_000;
/** People's edits seen on a second console meanwhile: the cross-console target of the scale bench. */
const EDIT_P99_TARGET_MS = 150;
const here = path.dirname(fileURLToPath(import.meta.url));

export async function windowsBench(): Promise<Figure[]> {
  process.env.VB_MAX_CONNECTIONS_PER_ADDRESS ??= '20000';
  const { clock, dir, network, backend } = await clockedNetworkBackend({
    name: 'windows',
    sites: 400,
    points: WINDOWS + 400,
    seed: 5,
  });
  const fleet = fork(path.join(here, 'stationFleet.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  fleet.send({
    ocppUrl: backend.ocppUrl,
    password: BENCH_STATION_PASSWORD,
    stations: network.stations.map((s) => ({ id: s.id, protocol: s.protocol })),
  });
  let consoles: ChildProcess | null = null;
  let ticking: NodeJS.Timeout | null = null;
  try {
    await new Promise<void>((resolve, reject) => {
      fleet.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      fleet.once('exit', (code) => reject(new Error(`the station fleet exited (${code})`)));
    });
    process.stderr.write(`bench: windows: ${network.stations.length} stations connected\n`);
    // Their boots made the backend re-send the statuses they should have: let that settle before the minute.
    let caBefore = -1;
    for (let now = await fleetCount(fleet); now !== caBefore; now = await fleetCount(fleet)) {
      caBefore = now;
      await new Promise((r) => setTimeout(r, 1000));
    }
    process.stderr.write(`bench: windows: ${caBefore} ChangeAvailability re-sent after the boots, settled\n`);
    const token = (await login(backend.url, BENCH_USER.username, BENCH_USER.password)).body.token as string;
    const points = backend.store.points.all();
    const inWindows = points.slice(0, WINDOWS).map((p) => p.id);
    const edited = points.slice(WINDOWS).map((p) => ({ id: p.id, version: p.operator.version }));
    const startsAt = new Date(clock.now() + 60_000).toISOString();
    for (const pointId of inWindows) {
      backend.scheduler.plan(
        { id: randomUUID(), pointIds: [pointId], startsAt, endsAt: null, reason: 'Bench inspection', note: null },
        { username: BENCH_USER.username, role: 'admin' },
      );
    }
    process.stderr.write(`bench: windows: ${WINDOWS} windows planned\n`);
    // The clock to a second before the windows' minute: what a real clock would have run while the windows were
    // planned (the alert engine's scan of the plans, the liveness ticks) runs now, not at the instant they fall due.
    clock.advance(59_000);
    await new Promise((r) => setTimeout(r, 2000));

    // The consoles in their own process: an observer that watches the window points and the edits, and an editor.
    consoles = fork(path.join(here, 'windowsConsoles.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const reports = consoleReports(consoles);
    const tell = (m: WindowsConsolesCommand) => consoles!.send(m);
    tell({ kind: 'config', config: { url: backend.url, token, windowPoints: inWindows, edited } });
    await reports.next('ready');
    // Let the plans' own broadcasts settle, then people start editing, a second before the windows' minute.
    await new Promise((r) => setTimeout(r, 1000));
    tell({ kind: 'edit' });
    await new Promise((r) => setTimeout(r, 1000));

    const profile = process.env.VB_BENCH_PROFILE ? await startProfile() : null;
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const started = performance.timeOrigin + performance.now();
    const stalls = stallWatch(started);
    tell({ kind: 'go', at: started });
    clock.advance(1_000);
    // Then a second per second, as a real clock: the once-a-second work runs through the burst as it would.
    ticking = setInterval(() => clock.advance(1_000), 1_000);
    const applied = await Promise.race([
      reports.next('applied'),
      new Promise<null>((r) => setTimeout(() => r(null), 120_000)),
    ]);
    clearInterval(ticking);
    const appliedMs = applied ? applied.at - started : Infinity;
    loop.disable();
    stalls.stop();
    if (profile)
      process.stderr.write(`bench: windows: backend profile in ${await profile.stop(process.env.VB_BENCH_PROFILE!)}\n`);
    tell({ kind: 'stop' });
    const result = await reports.next('result');
    const sorted = [...result.latencies].sort((a, b) => a - b);
    const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? Infinity;
    const ca = (await fleetCount(fleet)) - caBefore;
    process.stderr.write(
      `bench: windows: all applied in ${Math.round(appliedMs)} ms (${result.inMaintenance} in Maintenance on the console, ${result.answered} answered; ` +
        `${ca} ChangeAvailability answered by the stations meanwhile); ${sorted.length} edits (${result.conflicts} conflicts), ` +
        `p50 ${Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0)} ms, p99 ${Math.round(p99)} ms, max ${Math.round(sorted.at(-1) ?? 0)} ms; ` +
        `backend event loop delay p50 ${ms(loop.percentile(50))}, p99 ${ms(loop.percentile(99))}, max ${ms(loop.max)} ms; ` +
        `consoles' p99 ${Math.round(result.loopP99)}, max ${Math.round(result.loopMax)} ms\n`,
    );
    // Where the tail is: the slowest edits and the backend's longest stalls, in ms after the windows fell due.
    const at = (xs: { at: number; ms: number }[]) => xs.map((x) => `${x.ms} ms at ${x.at}`).join(', ');
    process.stderr.write(
      `bench: windows: slowest edits ${at(result.slowest)}; backend stalls over ${STALL_MS} ms: ${stalls.count()}, longest ${at(stalls.longest())}\n`,
    );
    return [
      figure(
        `${WINDOWS} windows starting in one minute: every point in Maintenance on a console and every ChangeAvailability answered`,
        appliedMs,
        'ms',
        '<=',
        ALL_APPLIED_TARGET_MS,
      ),
      figure(
        `${WINDOWS} windows starting in one minute: edits on other points seen on a second console, p99`,
        p99,
        'ms',
        '<=',
        EDIT_P99_TARGET_MS,
      ),
    ];
  } finally {
    if (ticking) clearInterval(ticking);
    consoles?.kill('SIGTERM');
    fleet.kill('SIGTERM');
    await backend.stop();
    dir.remove();
  }
}

const ms = (ns: number) => Math.round(ns / 1e6);

const STALL_MS = 100;
/** The backend's event loop stalls longer than STALL_MS: when each began (ms after `from`, epoch ms) and how long. */
function stallWatch(from: number) {
  const stalls: { at: number; ms: number }[] = [];
  let last = performance.timeOrigin + performance.now();
  const timer = setInterval(() => {
    const now = performance.timeOrigin + performance.now();
    if (now - last > STALL_MS + 10) stalls.push({ at: Math.round(last - from), ms: Math.round(now - last - 10) });
    last = now;
  }, 10);
  return {
    stop: () => clearInterval(timer),
    count: () => stalls.length,
    longest: () => [...stalls].sort((a, b) => b.ms - a.ms).slice(0, 5),
  };
}

/** The consoles' reports, awaited by kind. */
function consoleReports(child: ChildProcess) {
  const got: WindowsConsolesReport[] = [];
  const waiting: { kind: string; resolve: (r: WindowsConsolesReport) => void }[] = [];
  child.on('message', (m) => {
    const r = m as WindowsConsolesReport;
    const w = waiting.findIndex((x) => x.kind === r.kind);
    if (w >= 0) waiting.splice(w, 1)[0].resolve(r);
    else got.push(r);
  });
  return {
    next<K extends WindowsConsolesReport['kind']>(kind: K): Promise<Extract<WindowsConsolesReport, { kind: K }>> {
      const i = got.findIndex((r) => r.kind === kind);
      if (i >= 0) return Promise.resolve(got.splice(i, 1)[0] as Extract<WindowsConsolesReport, { kind: K }>);
      return new Promise((resolve, reject) => {
        waiting.push({ kind, resolve: resolve as (r: WindowsConsolesReport) => void });
        child.once('exit', (code) => reject(new Error(`the bench consoles exited (${code}) before "${kind}"`)));
      });
    },
  };
}

/** How many ChangeAvailability requests the station fleet has answered. */
function fleetCount(fleet: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    fleet.once('message', (m) => resolve((m as { changes: number }).changes));
    fleet.send('count');
  });
}

/** A CPU profile of this process (the backend) over the measured minute only (VB_BENCH_PROFILE=dir). */
async function startProfile(): Promise<{ stop(dir: string): Promise<string> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(dir) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      const file = path.join(dir, `windows-backend-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}
