// An expected end ("until") that reverts on its own, or only reminds: run by the backend on a clock the test moves,
// with a real OCPP-J station told Operative when the point comes back.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { setStatus, type TestConsole } from '../support/backendHarness.js';
import { at, ClockedBackend, MINUTE as MIN, NO_PINGS, T0 } from '../support/clockedBackend.js';
import { waitFor } from '../support/waitFor.js';

describe('expected ends', () => {
  let f: ClockedBackend;
  let c: TestConsole;

  beforeEach(async () => {
    f = await ClockedBackend.start({ startAt: T0, liveness: NO_PINGS });
    c = await f.console('operator');
  });
  afterEach(() => f.close());

  const point = (id: string) => f.point(id);
  const edit = (pointId: string, edit: { status: string } & Record<string, unknown>) => f.edit(c, pointId, edit);

  it('revert: back to Available at the end, and the station is told Operative', async () => {
    const st = await f.station('ST16', 'ocpp1.6');
    await st.boot();
    await edit('ST16-1', { status: 'OutOfService', reason: 'cable swap', until: at(30), untilAction: 'revert' });
    assert.equal(point('ST16-1').operator.untilAction, 'revert');
    f.clock.advance(30 * MIN - 1);
    assert.equal(point('ST16-1').operator.status, 'OutOfService');
    f.clock.advance(1);
    assert.equal(point('ST16-1').operator.status, 'Available');
    assert.equal(point('ST16-1').operator.reason, 'Expected end reached: back in operation');
    await waitFor('Operative sent', () => st.received.some((p) => p.type === 'Operative'));
    const history = await c.request('history', { pointId: 'ST16-1', limit: 10 });
    assert.ok(history.ok);
    assert.ok(
      history.data.entries.some(
        (e: { fact: string; actor: string; to: string }) =>
          e.fact === 'operator' && e.actor === 'user:system' && e.to === 'Available',
      ),
    );
  });

  // What failed once under load ("still Out of Service right after its end"): the console read the answer to its
  // edit in the turn the backend sent it, before the backend armed the end at that turn's close, and the test moved
  // the clock at once. A console paced by the rate limit is answered from a timer, which makes that order certain.
  it('revert: reverts at its end also when the answer to the edit comes before the backend ends its turn', async () => {
    const paced = await ClockedBackend.start({
      startAt: T0,
      liveness: NO_PINGS,
      consoleRateLimit: { burst: 1, perSec: 20 },
    });
    try {
      const pc = await paced.console('operator');
      void pc.request('liveness', {}); // takes the one token: the edit waits for the next
      await paced.edit(pc, 'ST16-1', {
        status: 'OutOfService',
        reason: 'cable swap',
        until: at(30),
        untilAction: 'revert',
      });
      paced.clock.advance(30 * MIN - 1);
      assert.equal(paced.point('ST16-1').operator.status, 'OutOfService');
      paced.clock.advance(1);
      assert.equal(paced.point('ST16-1').operator.status, 'Available');
    } finally {
      await paced.close();
    }
  });

  it('remind (the default): stays as it is; a later until moves the revert', async () => {
    await edit('ST16-1', { status: 'Maintenance', reason: 'service', until: at(10) });
    assert.equal(point('ST16-1').operator.untilAction, 'remind');
    await edit('ST16-2', { status: 'Maintenance', reason: 'service', until: at(10), untilAction: 'revert' });
    await edit('ST16-2', { status: 'Maintenance', reason: 'service', until: at(40), untilAction: 'revert' });
    f.clock.advance(20 * MIN);
    assert.equal(point('ST16-1').operator.status, 'Maintenance', 'a reminder only: shown overdue on consoles');
    assert.equal(point('ST16-2').operator.status, 'Maintenance', 'its until moved to 08:40');
    f.clock.advance(20 * MIN);
    assert.equal(point('ST16-2').operator.status, 'Available');
  });

  it('a backend that was down at the end reverts on start; an untilAction without an until is refused', async () => {
    await edit('ST201-1', { status: 'OutOfService', reason: 'vandalism', until: at(15), untilAction: 'revert' });
    c.close();
    await f.stop();
    await f.restart(new ManualClock(T0 + 60 * MIN));
    c = await f.console('operator');
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
