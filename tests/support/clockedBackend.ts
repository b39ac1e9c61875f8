// A backend on a manual clock with real OCPP-J stations: what the time-driven integration tests (alerts, expected ends,
// delivery waits, maintenance windows, webhooks) each set up. The clock moves only when the test says so. The data
// folder outlives a restart; close() closes every console and station opened through the fixture, stops the backend
// and removes the folder (and its PostgreSQL database).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../common/clock.js';
import type { MutationOutcome, Point, StationProtocol } from '../../common/model.js';
import type { MutateReply } from '../../common/protocol.js';
import type { BackendOptions } from '../../backend/server.js';
import type { SeedNetwork } from '../../backend/seed.js';
import {
  connectStation,
  consoleAs,
  setStatus,
  startTestBackend,
  type TestBackend,
  type TestConsole,
  type TestStation,
} from './backendHarness.js';
import { tempDir } from './tempDir.js';
import { disposeStoreOf } from './testStore.js';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
/** A Monday morning the schedule tests start at; `at(minutes)` is that many minutes later, as ISO text. */
export const T0 = Date.parse('2026-03-02T08:00:00Z');
export const at = (minutes: number): string => new Date(T0 + minutes * MINUTE).toISOString();

/**
 * Pings a day apart: a test that moves the clock by minutes or hours in one step leaves no station time to answer a
 * ping in between (liveness itself is tested in station-liveness.test.ts).
 */
export const NO_PINGS = { pingIntervalMs: 24 * 3600 * SECOND };

export type ClockedBackendOptions = Partial<BackendOptions> & {
  /** The seeded network (default: backendHarness's small network); null: none. Seeded on the first start only. */
  network?: SeedNetwork | null;
  /** When the manual clock starts (default: ManualClock's own). */
  startAt?: number;
};

export class ClockedBackend {
  clock: ManualClock;
  backend!: TestBackend;
  readonly data = tempDir('backend');
  private readonly consoles: TestConsole[] = [];
  private readonly stations: TestStation[] = [];
  private started = false;

  private constructor(private readonly options: ClockedBackendOptions) {
    this.clock = new ManualClock(options.startAt);
  }

  /** A backend seeded with the network (default: the small one) and started on a fresh manual clock. */
  static async start(options: ClockedBackendOptions = {}): Promise<ClockedBackend> {
    const fixture = new ClockedBackend(options);
    await fixture.restart();
    return fixture;
  }

  /** Starts the backend again on the same data folder (after stop()), on `clock` if given (a restart later on). */
  async restart(clock?: ManualClock): Promise<TestBackend> {
    if (clock) this.clock = clock;
    const { startAt: _startAt, network, ...options } = this.options;
    this.backend = await startTestBackend({
      ...options,
      clock: this.clock,
      dataDir: this.data.path,
      network: this.started ? null : network,
    });
    this.started = true;
    return this.backend;
  }

  /** Stops the backend, keeping its data folder (restart() starts it again). */
  stop(): Promise<void> {
    return this.backend.stop();
  }

  /** A real socket.io console signed in as one of backendHarness's test users (`viewer`, `operator`, …). */
  async console(username = 'operator'): Promise<TestConsole> {
    const c = await consoleAs(this.backend.url, username);
    this.consoles.push(c);
    return c;
  }

  /** A real OCPP-J station, connected but not yet booted. */
  async station(id: string, protocol: StationProtocol, opts?: Parameters<typeof connectStation>[3]) {
    const st = await connectStation(this.backend.ocppUrl, id, protocol, opts);
    this.stations.push(st);
    return st;
  }

  /** A station that has booted and reported each EVSE's status (default: EVSEs 1 and 2 Available). */
  async online(
    id: string,
    protocol: StationProtocol,
    reports: Record<number, string> = { 1: 'Available', 2: 'Available' },
  ): Promise<TestStation> {
    const st = await this.station(id, protocol);
    await st.boot();
    for (const [evse, status] of Object.entries(reports)) await st.status(Number(evse), status);
    return st;
  }

  /** Closes the stations opened so far (before a restart, or to take them away). */
  async closeStations(): Promise<void> {
    for (const st of this.stations.splice(0)) await st.close().catch(() => undefined);
  }

  point(id: string): Point {
    return this.backend.store.points.get(id)!;
  }

  /** Sets one point's status from a console, based on the operator version the point has now; the outcome. */
  async edit(
    c: TestConsole,
    pointId: string,
    edit: Parameters<typeof setStatus>[1] & Record<string, unknown>,
  ): Promise<MutationOutcome> {
    const r = await c.request<MutateReply>('mutate', {
      mutations: [setStatus([{ pointId, baseVersion: this.point(pointId).operator.version }], edit)],
    });
    assert.ok(r.ok, JSON.stringify(r));
    // The backend answers an edit, then at the end of that turn does what follows it (arms an expected end, sends the
    // change to the station, the consoles' early batch). The answer can reach the test before that turn ends (a console
    // paced by the rate limit is answered from a timer, and reads its answer in the same turn): the test would then
    // move the manual clock past an end not yet armed. Real time never jumps inside one turn; the test lets it end.
    await new Promise((resolve) => setImmediate(resolve));
    return r.data.outcomes[0];
  }

  /** A supervisor plans a maintenance window (times in ms on the clock); asserts the backend took it. */
  async planWindow(pointIds: string[], startsAt: number, endsAt: number | null, reason = 'Repairs'): Promise<void> {
    const supervisor = await this.console('supervisor');
    const r = await supervisor.request('planWindow', {
      id: randomUUID(),
      pointIds,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: endsAt === null ? null : new Date(endsAt).toISOString(),
      reason,
      note: null,
    });
    supervisor.close();
    assert.ok(r.ok, JSON.stringify(r));
  }

  /** Moves the clock in whole seconds (the alert rules look once a second), then lets the turn end. */
  async pass(ms: number): Promise<void> {
    for (let t = 0; t < ms; t += SECOND) this.clock.advance(SECOND);
    await new Promise((r) => setImmediate(r)); // what fell due together lands at the end of the turn
  }

  async close(): Promise<void> {
    for (const c of this.consoles.splice(0)) c.close();
    await this.closeStations();
    await this.backend.stop();
    disposeStoreOf(this.data.path);
    this.data.remove();
  }
}
