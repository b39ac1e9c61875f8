// An expected end ("until") that reverts on its own, or only reminds: run by the backend on a clock the test moves,
// with a real OCPP-J station told Operative when the point comes back.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import type { Point } from '../../common/model.js';
import {
  connectConsole,
  connectStation,
  setStatus,
  startTestBackend,
  tokenFor,
  type TestBackend,
  type TestConsole,
  type TestStation,
} from '../support/backendHarness.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';
import { skipOnPostgres } from '../support/postgresSkips.js';

const MIN = 60_000;
const T0 = Date.parse('2026-03-02T08:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();

describe('expected ends', () => {
  let clock: ManualClock;
  let data: ReturnType<typeof tempDir>;
  let b: TestBackend;
  let c: TestConsole;
  let st: TestStation | null = null;

  const start = async (seed: boolean) => {
    b = await startTestBackend({
      clock,
      dataDir: data.path,
      network: seed ? undefined : null,
      liveness: { pingIntervalMs: 24 * 3600_000 },
    });
    c = await connectConsole(b.url, await tokenFor(b.url, 'operator'));
  };
  beforeEach(async () => {
    clock = new ManualClock(T0);
    data = tempDir('backend');
    await start(true);
  });
  afterEach(async () => {
    c.close();
    await st?.close();
    st = null;
    await b.stop();
    data.remove();
  });

  const point = (id: string): Point => b.store.points.get(id)!;
  async function edit(pointId: string, edit: Record<string, unknown>) {
    const r = await c.request('mutate', {
      mutations: [setStatus([{ pointId, baseVersion: point(pointId).operator.version }], edit as never)],
    });
    assert.ok(r.ok, JSON.stringify(r));
    return r.data.outcomes[0];
  }

  it(
    'revert: back to Available at the end, and the station is told Operative',
    skipOnPostgres('until revert under load'),
    async () => {
      st = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6');
      await st.boot();
      await edit('ST16-1', { status: 'OutOfService', reason: 'cable swap', until: at(30), untilAction: 'revert' });
      assert.equal(point('ST16-1').operator.untilAction, 'revert');
      clock.advance(30 * MIN - 1);
      assert.equal(point('ST16-1').operator.status, 'OutOfService');
      clock.advance(1);
      assert.equal(point('ST16-1').operator.status, 'Available');
      assert.equal(point('ST16-1').operator.reason, 'Expected end reached: back in operation');
      await waitFor('Operative sent', () => st!.received.some((p) => p.type === 'Operative'));
      const history = await c.request('history', { pointId: 'ST16-1', limit: 10 });
      assert.ok(history.ok);
      assert.ok(
        history.data.entries.some(
          (e: { fact: string; actor: string; to: string }) =>
            e.fact === 'operator' && e.actor === 'user:system' && e.to === 'Available',
        ),
      );
    },
  );

  it('remind (the default): stays as it is; a later until moves the revert', async () => {
    await edit('ST16-1', { status: 'Maintenance', reason: 'service', until: at(10) });
    assert.equal(point('ST16-1').operator.untilAction, 'remind');
    await edit('ST16-2', { status: 'Maintenance', reason: 'service', until: at(10), untilAction: 'revert' });
    await edit('ST16-2', { status: 'Maintenance', reason: 'service', until: at(40), untilAction: 'revert' });
    clock.advance(20 * MIN);
    assert.equal(point('ST16-1').operator.status, 'Maintenance', 'a reminder only: shown overdue on consoles');
    assert.equal(point('ST16-2').operator.status, 'Maintenance', 'its until moved to 08:40');
    clock.advance(20 * MIN);
    assert.equal(point('ST16-2').operator.status, 'Available');
  });

  it('a backend that was down at the end reverts on start; an untilAction without an until is refused', async () => {
    await edit('ST201-1', { status: 'OutOfService', reason: 'vandalism', until: at(15), untilAction: 'revert' });
    c.close();
    await b.stop();
    clock = new ManualClock(T0 + 60 * MIN);
    await start(false);
    assert.equal(point('ST201-1').operator.status, 'Available');
    const r = await c.request('mutate', {
      mutations: [
        setStatus([{ pointId: 'ST201-2', baseVersion: point('ST201-2').operator.version }], {
          status: 'OutOfService',
          reason: 'x',
          untilAction: 'revert',
        } as never),
      ],
    });
    assert.equal(r.ok, false);
    assert.match(r.error.message, /untilAction needs an until/);
  });
});
