// The console core takes liveness from the backend, as ages turned into its own times, and hands it to the renderer;
// re-send and withdraw go through it. A real backend (on a controlled clock), a real OCPP-J station, a real core.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConsoleApiError, type LivenessView } from '../../common/consoleApi.js';
import { ManualClock } from '../../common/clock.js';
import {
  connectStation,
  startTestBackend,
  TEST_USERS,
  type TestBackend,
  type TestStation,
} from '../support/backendHarness.js';
import { waitFor } from '../support/waitFor.js';
import { LivenessBook } from '../../electron/core/sync/livenessBook.js';
import { openConsole, waitLive, type TestConsole } from '../support/consoles.js';

describe('LivenessBook', () => {
  it('turns ages into times at arrival, replaces on full, reports only what changed', () => {
    const book = new LivenessBook();
    const at = Date.parse('2026-12-04T13:37:00Z');
    const full = book.apply(
      {
        networkId: 'n',
        full: true,
        stations: [
          ['A', 'online', 12, 600],
          ['B', 'offline', null, null],
        ],
      },
      at,
    );
    assert.equal(full.full, true);
    assert.deepEqual(
      full.stations.find((s) => s.stationId === 'A'),
      {
        stationId: 'A',
        state: 'online',
        lastHeardAt: '2026-12-04T13:36:48.000Z',
        since: '2026-12-04T13:27:00.000Z',
      },
    );
    const same = book.apply({ networkId: 'n', full: false, stations: [['A', 'online', 17, 605]] }, at + 5000);
    assert.deepEqual(same.stations, [], 'the same times said again are no change');
    const silent = book.apply({ networkId: 'n', full: false, stations: [['A', 'silent', 60, 0]] }, at + 60_000);
    assert.deepEqual(
      silent.stations.map((s) => s.state),
      ['silent'],
    );
    const again = book.apply({ networkId: 'n', full: true, stations: [['B', 'online', 0, 0]] }, at);
    assert.deepEqual(
      again.stations.map((s) => s.stationId),
      ['B'],
      'a full message replaces everything',
    );
  });
});

describe('console core: liveness and stuck changes', () => {
  let clock: ManualClock;
  let b: TestBackend;
  let console_: TestConsole;
  let station: TestStation;
  const operator = TEST_USERS.find((u) => u.role === 'operator')!;

  before(async () => {
    clock = new ManualClock(Date.now());
    b = await startTestBackend({
      clock,
      liveness: { pingIntervalMs: 30_000 },
      livenessFanout: { stateFlushMs: 0, heardFlushMs: 5000 },
    });
    station = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6', { answerPings: false });
    await station.boot();
    console_ = openConsole(b.url, { username: operator.username, password: operator.password });
    await waitLive(console_);
  });
  after(async () => {
    await console_.close();
    await station.close();
    await b.dispose();
  });

  const livenessEvents = () =>
    console_.events.filter((e) => e.name === 'liveness').map((e) => e.payload as LivenessView);

  it('loads every station after catching up, then hears the changes', async () => {
    await waitFor('a full liveness', () => livenessEvents().some((l) => l.full));
    const all = await console_.core.getLiveness();
    assert.equal(all.stations.find((s) => s.stationId === 'ST16')?.state, 'online');
    assert.equal(all.stations.find((s) => s.stationId === 'ST201')?.state, 'offline', 'never connected');
    clock.advance(60_000);
    await waitFor('Silent reaches the core', () =>
      livenessEvents().some((l) => l.stations.some((s) => s.stationId === 'ST16' && s.state === 'silent')),
    );
    assert.equal((await console_.core.getLiveness()).stations.find((s) => s.stationId === 'ST16')?.state, 'silent');
    const event = livenessEvents().at(-1)!;
    assert.equal(event.full, false);
    assert.deepEqual(
      event.stations.map((s) => [s.stationId, s.state]),
      [['ST16', 'silent']],
    );
    const heard = Date.parse(event.stations[0].lastHeardAt!);
    assert.ok(Math.abs(Date.now() - 60_000 - heard) < 2000, 'last heard a minute ago, on this computer’s clock');
  });

  it('re-send goes to the backend; offline it is refused with a clear error', async () => {
    const point = console_.core.getNetwork().points.find((p) => p.id === 'ST16-1')!;
    const reply = await console_.core.deliveryAction({
      pointId: 'ST16-1',
      action: 'resend',
      operatorVersion: point.operator.version,
    });
    assert.equal(reply.result, 'nothingToDo', reply.message);
    await b.stop();
    await waitFor('the console notices', () => console_.core.connection().state !== 'live', 10_000);
    await assert.rejects(
      console_.core.deliveryAction({ pointId: 'ST16-1', action: 'withdraw', operatorVersion: point.operator.version }),
      (e: unknown) => e instanceof ConsoleApiError && e.code === 'offline',
    );
  });
});
