// The cluster under fire (issue 21): backend instances as processes on one PostgreSQL, real OCPP-J stations spread
// across them, consoles on different instances editing at a steady rate, and one instance killed with SIGKILL at
// intervals and started again. Stations and consoles whose instance died go to another, as behind a load balancer;
// consoles re-send what was not answered (same mutation ids) and catch up by seq. At the end the store, every console
// and every station are compared. Used by tests/integration/cluster-chaos.test.ts and bench/cluster.bench.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { Point } from '../../common/model.js';
import type { Ack, Changes, Liveness, MutateReply, SyncReply } from '../../common/protocol.js';
import { CONSOLE_EVENTS, CONSOLE_SOCKET_PATH } from '../../common/protocol.js';
import type { SeedNetwork } from '../../backend/seed.js';
import { pointIdFor, seedNetwork } from '../../backend/seed.js';
import { Auth } from '../../backend/auth.js';
import { Store } from '../../backend/store/index.js';
import { connectStation, setStatus, stationPassword, TEST_USERS, tokenFor } from './backendHarness.js';
import type { TestStation } from './backendHarness.js';
import { startBackendProcess, type BackendProcess } from './backendProcess.js';
import { waitFor } from './waitFor.js';

export interface ChaosOptions {
  /** The data folder the network is seeded in (storeLocationFor decides the engine). */
  dataDir: string;
  /** The instances' store: a PostgreSQL URL, or '' for SQLite in dataDir (one instance only). */
  postgresUrl: string;
  instances: number;
  stations: number;
  consoles: number;
  editsPerSecond: number;
  seconds: number;
  /** Kill one instance (in turn) this often; 0: never. */
  killEveryMs: number;
  /** At most this many edits unanswered per console (the bench's closed loop); unlimited when absent. */
  maxInFlight?: number;
  log?: (line: string) => void;
  /** Where each instance's output is written at the end (instance-<i>-<start>.log), for looking into a failure. */
  logDir?: string;
}

export interface ChaosFigures {
  instances: number;
  stations: number;
  consoles: number;
  seconds: number;
  editsSent: number;
  applied: number;
  /** Edits applied per second over the run. */
  appliedPerSecond: number;
  conflicts: number;
  /** Mutations answered `duplicate` when re-sent after their instance died: applied once, answered twice. */
  duplicatesAnswered: number;
  kills: number;
  stationReconnects: number;
  consoleReconnects: number;
  /** Edit sent → the change seen on every other console. */
  crossConsoleP50Ms: number;
  crossConsoleP99Ms: number;
  /** From a kill to every station of the dead instance connected again elsewhere. */
  stationsBackMaxMs: number;
  /** What disagrees at the end (empty: the store, every console and every station agree). */
  disagreements: string[];
}

const STATUSES = ['Available', 'OutOfService', 'Maintenance'] as const;
const availability = (status: string): string => (status === 'Available' ? 'Operative' : 'Inoperative');

export function chaosNetwork(stations: number): SeedNetwork {
  const sites = Array.from({ length: Math.max(1, Math.ceil(stations / 20)) }, (_, i) => ({
    id: `CS${i}`,
    name: `Chaos site ${i}`,
    city: 'C',
    address: 'A',
  }));
  return {
    sites,
    stations: Array.from({ length: stations }, (_, i) => {
      const id = `CH${String(i).padStart(3, '0')}`;
      return {
        id,
        siteId: sites[Math.floor(i / 20)].id,
        protocol: 'ocpp1.6' as const,
        vendor: 'V',
        model: 'M',
        password: stationPassword(id),
        evses: [1, 2].map((e) => ({
          evseId: e,
          label: `${id}-${e}`,
          connectors: [{ id: 1, type: 'CCS2', maxKw: 50 }],
        })),
      };
    }),
    users: TEST_USERS,
  };
}

class Instances {
  readonly all: (BackendProcess | null)[] = [];
  readonly ports: number[] = [];
  /** Every process started, killed ones included, with its instance number. */
  readonly started: { i: number; p: BackendProcess }[] = [];
  private next = 0;

  constructor(private readonly args: string[]) {}

  async start(i: number): Promise<void> {
    const port = this.ports[i] ?? 0;
    const p = await startBackendProcess([...this.args, '--port', String(port)]);
    this.ports[i] = Number(new URL(p.url).port);
    this.all[i] = p;
    this.started.push({ i, p });
  }

  writeOutputs(dir: string): void {
    mkdirSync(dir, { recursive: true });
    this.started.forEach(({ i, p }, n) => writeFileSync(path.join(dir, `instance-${i}-${n}.log`), p.output()));
  }

  /** A live instance other than `not`, in turn (the load balancer). */
  pick(not?: number): { i: number; p: BackendProcess } {
    for (let k = 0; k < this.all.length; k++) {
      const i = (this.next++ + k) % this.all.length;
      const p = this.all[i];
      if (p && i !== not) return { i, p };
    }
    throw new Error('no live instance');
  }
}

/** A station that goes to another instance when its connection ends, and reports what it was last told. */
class ChaosStation {
  told = new Map<number, string>();
  reconnects = 0;
  connectedAt = 0;
  /** The instance the station is connected to (or was, until it notices that one died). */
  instance = -1;
  /** When each of its connections was made. */
  readonly connectedTimes: number[] = [];
  private st: TestStation | null = null;
  private closed = false;

  constructor(
    readonly id: string,
    private readonly instances: Instances,
  ) {}

  async connect(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const { i, p } = this.instances.pick();
      let st: TestStation | null = null;
      try {
        st = await connectStation(p.ocppUrl, this.id, 'ocpp1.6');
        const conn = st;
        conn.reportAs = (evse) => (this.told.get(evse) === 'Inoperative' ? 'Unavailable' : 'Available');
        conn.beforeAnswer = async (params) => {
          const evse = Number(params.connectorId);
          this.told.set(evse, String(params.type));
          await conn.status(evse, params.type === 'Inoperative' ? 'Unavailable' : 'Available');
        };
        // Until boot and statuses went through, a failure is this loop's to retry; after, the close starts a new one.
        let ready = false;
        let closed = false;
        conn.client.once('close', () => {
          closed = true;
          if (!ready || this.closed || this.st !== conn) return;
          this.st = null;
          this.reconnects++;
          void this.connect();
        });
        await conn.boot();
        for (const evse of [1, 2])
          await conn.status(evse, this.told.get(evse) === 'Inoperative' ? 'Unavailable' : 'Available');
        if (closed) throw new Error('closed while connecting');
        this.st = conn;
        ready = true;
        this.connectedAt = Date.now();
        this.connectedTimes.push(this.connectedAt);
        this.instance = i;
        return;
      } catch {
        await st?.close().catch(() => undefined);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  get connected(): boolean {
    return this.st !== null;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.st?.close().catch(() => undefined);
  }
}

/** A console that moves to another instance when its connection ends, re-sends what was not answered and catches up. */
class ChaosConsole {
  readonly points = new Map<string, Point>();
  readonly problems: string[] = [];
  /** Sent and not answered yet: re-sent, same id, after a reconnect. */
  readonly pending = new Map<string, { mutation: unknown; pointId: string; status: string }>();
  readonly applied = new Map<string, { pointId: string; status: string; version: number; at: number }>();
  /** The newest operator version this console's own applied edits gave each point (before their change arrives). */
  private readonly ownVersion = new Map<string, { version: number; status: string }>();
  /** When each mutation was first sent. */
  readonly sentAt = new Map<string, number>();
  /** Between a (re)connect and its sync's answer, batches are applied but cannot be checked for gaps. */
  private syncing = false;
  conflicts = 0;
  duplicates = 0;
  reconnects = 0;
  seq = 0;
  /** When each point change this console made (by op version) was first seen here. */
  readonly seenAt = new Map<string, number>();
  private socket: Socket | null = null;
  private closed = false;
  private token = '';

  constructor(
    readonly index: number,
    private readonly instances: Instances,
  ) {}

  async connect(first: number | null = null): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const { p } = first === null ? this.instances.pick() : { p: this.instances.all[first]! };
      first = null;
      try {
        this.token ||= await tokenFor(p.url, 'operator');
        await this.open(p.url);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private open(url: string): Promise<void> {
    const socket = ioClient(url, {
      path: CONSOLE_SOCKET_PATH,
      transports: ['websocket'],
      auth: { token: this.token },
      reconnection: false,
      forceNew: true,
    });
    this.syncing = true;
    socket.on(CONSOLE_EVENTS.changes, (c: Changes) => this.onChanges(c));
    return new Promise((resolve, reject) => {
      socket.once('connect_error', (err) => {
        socket.close();
        reject(err);
      });
      socket.once(CONSOLE_EVENTS.hello, async () => {
        try {
          const r = (await socket
            .timeout(15_000)
            .emitWithAck(CONSOLE_EVENTS.sync, { networkId: null, sinceSeq: this.seq || null })) as Ack<SyncReply>;
          if (!r.ok) throw new Error(r.error.message);
          this.onSync(r.data);
        } catch (err) {
          socket.close();
          reject(err);
          return;
        }
        this.socket = socket;
        socket.once('disconnect', () => {
          if (this.closed || this.socket !== socket) return;
          this.socket = null;
          this.reconnects++;
          void this.connect().then(() => this.resend());
        });
        resolve();
      });
    });
  }

  private onSync(reply: SyncReply): void {
    // A sync after a reconnect answers "everything after my seq": nothing of what came before is missing.
    for (const p of reply.points) this.take(p);
    this.seq = Math.max(this.seq, reply.seq);
    this.syncing = false;
  }

  private onChanges(c: Changes): void {
    if (this.syncing) {
      for (const p of c.points) this.take(p);
      return;
    }
    if (c.fromSeq > this.seq + 1) this.problems.push(`console ${this.index}: gap ${this.seq} → ${c.fromSeq}`);
    let prev = c.fromSeq - 1;
    for (const p of c.points) {
      if (p.seq <= prev) this.problems.push(`console ${this.index}: seq ${p.seq} after ${prev}`);
      prev = p.seq;
      this.take(p);
    }
    this.seq = Math.max(this.seq, c.toSeq);
  }

  private take(p: Point): void {
    const had = this.points.get(p.id);
    if (had && had.seq > p.seq) return;
    this.points.set(p.id, p);
    const key = `${p.id}@${p.operator.version}`;
    if (!this.seenAt.has(key)) this.seenAt.set(key, Date.now());
  }

  /** Whether an edit of this point is sent and not answered yet. */
  editing(pointId: string): boolean {
    for (const e of this.pending.values()) if (e.pointId === pointId) return true;
    return false;
  }

  /** Sends the next status for the point; false when this console cannot edit now. */
  edit(pointId: string, now: number): boolean {
    const p = this.points.get(pointId);
    if (!p || !this.socket) return false;
    const own = this.ownVersion.get(pointId);
    const current =
      own && own.version > p.operator.version ? own : { version: p.operator.version, status: p.operator.status };
    const status = STATUSES[(STATUSES.indexOf(current.status as (typeof STATUSES)[number]) + 1) % STATUSES.length];
    const mutation = setStatus([{ pointId, baseVersion: current.version }], { status, reason: 'chaos' });
    this.pending.set(mutation.id, { mutation, pointId, status });
    this.sentAt.set(mutation.id, now);
    this.send(mutation.id);
    return true;
  }

  private send(id: string): void {
    const entry = this.pending.get(id);
    const socket = this.socket;
    if (!entry || !socket) return;
    socket
      .timeout(15_000)
      .emitWithAck(CONSOLE_EVENTS.mutate, { mutations: [entry.mutation] })
      .then((r: Ack<MutateReply>) => {
        if (!r.ok) {
          this.lastError = `${r.error.code}: ${r.error.message}`;
          return this.retrySoon(id);
        }
        const outcome = r.data.outcomes[0];
        this.pending.delete(id);
        if (outcome.duplicate) this.duplicates++;
        const po = outcome.points[0];
        if (po?.result === 'applied') {
          const own = this.ownVersion.get(entry.pointId);
          if (!own || own.version < po.operatorVersion!)
            this.ownVersion.set(entry.pointId, { version: po.operatorVersion!, status: entry.status });
          this.applied.set(id, {
            pointId: entry.pointId,
            status: entry.status,
            version: po.operatorVersion!,
            at: Date.now(),
          });
        } else this.conflicts++;
      })
      .catch(() => {
        this.lastError = 'no answer';
        if (this.socket === socket) this.retrySoon(id); // else re-sent after the reconnect
      });
  }

  private retrySoon(id: string): void {
    setTimeout(() => this.send(id), 500);
  }

  lastError = '';

  resend(): void {
    for (const id of this.pending.keys()) this.send(id);
  }

  async finalSync(): Promise<void> {
    const socket = this.socket;
    if (!socket) throw new Error(`console ${this.index} not connected`);
    const r = (await socket
      .timeout(30_000)
      .emitWithAck(CONSOLE_EVENTS.sync, { networkId: null, sinceSeq: this.seq })) as Ack<SyncReply>;
    if (!r.ok) throw new Error(r.error.message);
    this.onSync(r.data);
  }

  /** The stations the console's instance says are not Online. */
  async notOnline(): Promise<string[]> {
    const socket = this.socket;
    if (!socket) throw new Error(`console ${this.index} not connected`);
    const r = (await socket.timeout(30_000).emitWithAck(CONSOLE_EVENTS.liveness, {})) as Ack<Liveness>;
    if (!r.ok) throw new Error(r.error.message);
    return r.data.stations.filter(([, state]) => state !== 'online').map(([id, state]) => `${id} ${state}`);
  }

  get connected(): boolean {
    return this.socket !== null;
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
  }
}

const percentile = (sorted: number[], q: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];

export async function runClusterChaos(opts: ChaosOptions): Promise<ChaosFigures> {
  const log = opts.log ?? (() => undefined);
  const network = chaosNetwork(opts.stations);
  const location = opts.postgresUrl ? { postgresUrl: opts.postgresUrl } : { dataDir: opts.dataDir };
  if (!opts.postgresUrl && opts.instances !== 1) throw new Error('several instances need PostgreSQL');
  const seeding = new Store({ ...location, log: () => undefined });
  try {
    await seedNetwork(seeding, new Auth(seeding.users), network);
  } finally {
    seeding.close();
  }
  const instances = new Instances(opts.postgresUrl ? ['--store', opts.postgresUrl] : ['--data', opts.dataDir]);
  const stations: ChaosStation[] = [];
  const consoles: ChaosConsole[] = [];
  let kills = 0;
  let stationsBackMaxMs = 0;
  try {
    for (let i = 0; i < opts.instances; i++) await instances.start(i);
    log(`cluster: ${opts.instances} instances on ports ${instances.ports.join(', ')}`);
    for (const s of network.stations) stations.push(new ChaosStation(s.id, instances));
    for (let k = 0; k < stations.length; k += 20) await Promise.all(stations.slice(k, k + 20).map((s) => s.connect()));
    for (let c = 0; c < opts.consoles; c++) {
      const con = new ChaosConsole(c, instances);
      await con.connect(c % opts.instances);
      consoles.push(con);
    }
    const pointIds = network.stations.flatMap((s) => s.evses.map((e) => pointIdFor(s.id, e.evseId)));
    await waitFor(
      'every console has every point',
      () => consoles.every((c) => pointIds.every((id) => c.points.has(id))),
      60_000,
    );
    const versionsBefore = pointIds.reduce((n, id) => n + consoles[0].points.get(id)!.operator.version, 0);
    log(`cluster: ${stations.length} stations and ${consoles.length} consoles connected`);

    const mine = consoles.map((con) => pointIds.filter((_, i) => i % consoles.length === con.index));
    const started = Date.now();
    const endAt = started + opts.seconds * 1000;
    let due = 0;
    let sent = 0;
    let nextKill = opts.killEveryMs > 0 ? started + opts.killEveryMs : Infinity;
    let victim = 0;
    const restarts: Promise<void>[] = [];
    const outages: { killedAt: number; orphans: ChaosStation[] }[] = [];
    while (Date.now() < endAt) {
      const dueNow = Math.floor(((Date.now() - started) / 1000) * opts.editsPerSecond);
      for (; due < dueNow; due++) {
        const con = consoles[due % consoles.length];
        if (opts.maxInFlight !== undefined && con.pending.size >= opts.maxInFlight) continue;
        // Each console edits its own share of the points (its edits never conflict with another console's), and
        // not a point it is still waiting on.
        const share = mine[con.index];
        let pointId = share[Math.floor(Math.random() * share.length)];
        for (let tries = 0; tries < 5 && con.editing(pointId); tries++)
          pointId = share[Math.floor(Math.random() * share.length)];
        if (con.edit(pointId, Date.now())) sent++;
      }
      if (Date.now() >= nextKill) {
        nextKill += opts.killEveryMs;
        const i = victim++ % opts.instances;
        const p = instances.all[i];
        if (p) {
          instances.all[i] = null;
          const orphans = stations.filter((s) => s.instance === i);
          const killedAt = Date.now();
          await p.kill();
          kills++;
          log(
            `cluster: killed instance ${i} (pid ${p.pid}, ${orphans.length} stations) at ${((killedAt - started) / 1000).toFixed(1)} s`,
          );
          restarts.push(
            (async () => {
              await new Promise((r) => setTimeout(r, 2000));
              await instances.start(i);
              log(`cluster: instance ${i} started again`);
            })(),
          );
          outages.push({ killedAt, orphans });
        }
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const endedAt = Date.now();
    await Promise.all(restarts);
    log(`cluster: ${sent} edits sent; settling`);
    await waitFor(
      'every console connected and answered',
      () => {
        const waiting = consoles.filter((c) => !c.connected || c.pending.size > 0);
        if (waiting.length === 0) return true;
        throw new Error(
          waiting
            .map((c) => `console ${c.index}: connected ${c.connected}, ${c.pending.size} unanswered, ${c.lastError}`)
            .join('; '),
        );
      },
      120_000,
      100,
    );
    await waitFor('every station connected', () => stations.every((s) => s.connected), 60_000, 100);
    // From each kill to the last of the dead instance's stations connected again elsewhere.
    for (const { killedAt, orphans } of outages) {
      const back = orphans.map((s) => s.connectedTimes.find((t) => t > killedAt) ?? Infinity);
      const ms = Math.max(0, ...back) - killedAt;
      stationsBackMaxMs = Math.max(stationsBackMaxMs, ms);
      log(
        `cluster: the ${orphans.length} stations of the instance killed at ${((killedAt - started) / 1000).toFixed(1)} s were all back after ${ms} ms`,
      );
    }

    const store = new Store({ ...location, log: () => undefined });
    try {
      const disagreements = await settle(store, consoles, stations, pointIds, versionsBefore);
      const latencies: number[] = [];
      for (const con of consoles) {
        for (const [id, a] of con.applied) {
          const others = consoles.filter((o) => o !== con);
          const seen = others.map((o) => o.seenAt.get(`${a.pointId}@${a.version}`));
          const sentAt = con.sentAt.get(id);
          if (sentAt === undefined || seen.some((t) => t === undefined)) continue;
          latencies.push(Math.max(...(seen as number[])) - sentAt);
        }
      }
      latencies.sort((x, y) => x - y);
      return {
        instances: opts.instances,
        stations: opts.stations,
        consoles: opts.consoles,
        seconds: opts.seconds,
        editsSent: sent,
        applied: consoles.reduce((n, c) => n + c.applied.size, 0),
        appliedPerSecond: Math.round(
          consoles.reduce((n, c) => n + [...c.applied.values()].filter((a) => a.at <= endedAt).length, 0) /
            ((endedAt - started) / 1000),
        ),
        conflicts: consoles.reduce((n, c) => n + c.conflicts, 0),
        duplicatesAnswered: consoles.reduce((n, c) => n + c.duplicates, 0),
        kills,
        stationReconnects: stations.reduce((n, s) => n + s.reconnects, 0),
        consoleReconnects: consoles.reduce((n, c) => n + c.reconnects, 0),
        crossConsoleP50Ms: percentile(latencies, 0.5),
        crossConsoleP99Ms: percentile(latencies, 0.99),
        stationsBackMaxMs,
        disagreements,
      };
    } finally {
      store.close();
    }
  } finally {
    for (const c of consoles) c.close();
    await Promise.all(stations.map((s) => s.close()));
    for (const p of instances.all) await p?.kill();
    if (opts.logDir) instances.writeOutputs(opts.logDir);
  }
}

/** Waits until the store, every console and every station agree, or says what still disagrees after a minute. */
async function settle(
  store: Store,
  consoles: ChaosConsole[],
  stations: ChaosStation[],
  pointIds: string[],
  versionsBefore: number,
): Promise<string[]> {
  const check = async (): Promise<string[]> => {
    for (const c of consoles) await c.finalSync();
    const out: string[] = consoles.flatMap((c) => c.problems.slice(0, 5));
    // Every station is connected (waited for): every console, whatever instance it is on, shows it Online.
    for (const c of consoles) {
      const notOnline = await c.notOnline();
      if (notOnline.length > 0)
        out.push(
          `console ${c.index} shows ${notOnline.length} station(s) not Online: ${notOnline.slice(0, 3).join(', ')}`,
        );
    }
    const byStation = new Map(stations.map((s) => [s.id, s]));
    let versionsSum = 0;
    for (const id of pointIds) {
      const p = store.points.get(id)!;
      versionsSum += p.operator.version;
      for (const c of consoles) {
        const q = c.points.get(id);
        if (!q || q.operator.status !== p.operator.status || q.operator.version !== p.operator.version)
          out.push(
            `console ${c.index} shows ${id} ${q?.operator.status} v${q?.operator.version}, the store ${p.operator.status} v${p.operator.version}`,
          );
      }
      const st = byStation.get(p.stationId)!;
      const told = st.told.get(p.evseId) ?? 'Operative';
      if (told !== availability(p.operator.status))
        out.push(`station ${p.stationId} was last told ${told} for ${id}, the store has ${p.operator.status}`);
      if (p.delivery.state !== 'confirmed' && p.operator.by === 'operator')
        out.push(`${id} delivery ${p.delivery.state}, not confirmed`);
    }
    // Each applied mutation moved its point's version by one: a mutation applied twice would add one more.
    const applied = consoles.reduce((n, c) => n + c.applied.size, 0);
    if (versionsSum - versionsBefore !== applied)
      out.push(`the points' versions moved by ${versionsSum - versionsBefore}, ${applied} mutations were applied`);
    for (const c of consoles) {
      for (const a of c.applied.values()) {
        const p = store.points.get(a.pointId)!;
        if (p.operator.version < a.version)
          out.push(`${a.pointId}: applied v${a.version} is not in the store (v${p.operator.version})`);
      }
    }
    return out;
  };
  let last: string[] = [];
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    last = await check();
    if (last.length === 0) return [];
    await new Promise((r) => setTimeout(r, 500));
  }
  return last.slice(0, 20);
}
