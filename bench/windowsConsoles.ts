// The windows bench's two consoles (real socket.io clients) in their own process, so decoding 10,000 points' changes
// and pacing the edits stay off the measured backend's event loop. Forked by windows.bench.ts; driven over IPC:
// config → "ready"; "edit" starts people's edits (one every 100 ms on other points); "go" (the instant the windows
// fall due, epoch ms) starts watching for every window point in Maintenance with its ChangeAvailability answered →
// "applied"; "stop" ends the edits → "result". Times are epoch ms (performance.timeOrigin + now), comparable across
// processes.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Changes } from '../common/protocol.js';
import { CONSOLE_EVENTS } from '../common/protocol.js';
import { connectConsole, setStatus } from '../tests/support/backendHarness.js';

export interface WindowsConsolesConfig {
  url: string;
  token: string;
  /** The points in windows: each should go to Maintenance with its ChangeAvailability answered. */
  windowPoints: string[];
  /** Points people edit meanwhile, with their operator versions now. */
  edited: { id: string; version: number }[];
}

export type WindowsConsolesCommand =
  { kind: 'config'; config: WindowsConsolesConfig } | { kind: 'edit' } | { kind: 'go'; at: number } | { kind: 'stop' };

export type WindowsConsolesReport =
  | { kind: 'ready' }
  | { kind: 'applied'; at: number }
  | {
      kind: 'result';
      latencies: number[];
      /** The slowest edits: when each was sent (ms after "go"; negative before it) and how long it took. */
      slowest: { at: number; ms: number }[];
      conflicts: number;
      inMaintenance: number;
      answered: number;
      /** This process's own event loop delay from "go" to "stop", ms. */
      loopP99: number;
      loopMax: number;
    };

/** How long an edit may take to be seen before it counts as lost (its latency is then this). */
const EDIT_GIVE_UP_MS = 2000;
const EDIT_EVERY_MS = 100;
const ANSWERED = new Set(['accepted', 'confirmed']);

const epochNow = () => performance.timeOrigin + performance.now();
const send = (m: WindowsConsolesReport) => process.send?.(m);
const nextMessage = () =>
  new Promise<WindowsConsolesCommand>((resolve) =>
    process.once('message', (m) => resolve(m as WindowsConsolesCommand)),
  );

const first = await nextMessage();
if (first.kind !== 'config') throw new Error(`windows consoles: expected the config, got ${first.kind}`);
const config = first.config;
const observer = await connectConsole(config.url, config.token);
const editor = await connectConsole(config.url, config.token);
// The harness keeps every batch for tests; here that would only grow the heap.
observer.socket.off(CONSOLE_EVENTS.changes);
editor.socket.off(CONSOLE_EVENTS.changes);

// The observer: which window points are in Maintenance, which have their ChangeAvailability answered, and when each
// edit arrived.
const windowPoints = new Set(config.windowPoints);
const inMaintenance = new Set<string>();
const answered = new Set<string>();
const editSeen = new Map<string, number>();
let goAt: number | null = null;
let appliedSent = false;
observer.socket.on(CONSOLE_EVENTS.changes, (c: Changes) => {
  const at = epochNow();
  for (const p of c.points) {
    if (windowPoints.has(p.id)) {
      if (p.operator.status === 'Maintenance') inMaintenance.add(p.id);
      else inMaintenance.delete(p.id);
      if (p.operator.status === 'Maintenance' && ANSWERED.has(p.delivery.state)) answered.add(p.id);
      else answered.delete(p.id);
    } else if (p.operator.reason?.startsWith('bench edit ')) editSeen.set(p.operator.reason, at);
  }
  if (
    goAt !== null &&
    !appliedSent &&
    inMaintenance.size === windowPoints.size &&
    answered.size === windowPoints.size
  ) {
    appliedSent = true;
    send({ kind: 'applied', at });
  }
});

// The editor: the operator version of each edited point, from its own changes.
const versions = new Map(config.edited.map((p) => [p.id, p.version]));
editor.socket.on(CONSOLE_EVENTS.changes, (c: Changes) => {
  for (const p of c.points)
    if (versions.has(p.id)) versions.set(p.id, Math.max(versions.get(p.id)!, p.operator.version));
});

let editing = false;
const latencies: number[] = [];
const sentAt: number[] = [];
let conflicts = 0;
const waitSeen = async (reason: string, until: number) => {
  while (!editSeen.has(reason) && epochNow() < until) await new Promise((r) => setTimeout(r, 2));
  return editSeen.get(reason) ?? until;
};
async function edit(): Promise<void> {
  for (let n = 0; editing; n++) {
    const pointId = config.edited[n % config.edited.length].id;
    const reason = `bench edit ${n}`;
    const sent = epochNow();
    const reply = await editor.request('mutate', {
      mutations: [
        setStatus([{ pointId, baseVersion: versions.get(pointId)! }], {
          status: n % 2 ? 'Maintenance' : 'OutOfService',
          reason,
        }),
      ],
    });
    if (reply.ok && reply.data.outcomes?.[0]?.points?.[0]?.result === 'conflict') conflicts++;
    latencies.push((await waitSeen(reason, sent + EDIT_GIVE_UP_MS)) - sent);
    sentAt.push(sent);
    await new Promise((r) => setTimeout(r, Math.max(0, EDIT_EVERY_MS - (epochNow() - sent))));
  }
}

const loop = monitorEventLoopDelay({ resolution: 5 });
send({ kind: 'ready' });
let edits: Promise<void> = Promise.resolve();
for (;;) {
  const m = await nextMessage();
  if (m.kind === 'edit') {
    editing = true;
    edits = edit();
  } else if (m.kind === 'go') {
    goAt = m.at;
    loop.enable();
  } else if (m.kind === 'stop') {
    editing = false;
    await edits;
    loop.disable();
    send({
      kind: 'result',
      latencies,
      slowest: latencies
        .map((ms, i) => ({ at: Math.round(sentAt[i] - (goAt ?? 0)), ms: Math.round(ms) }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 5),
      conflicts,
      inMaintenance: inMaintenance.size,
      answered: answered.size,
      loopP99: loop.percentile(99) / 1e6,
      loopMax: loop.max / 1e6,
    });
    observer.close();
    editor.close();
    process.disconnect?.();
    break;
  }
}
