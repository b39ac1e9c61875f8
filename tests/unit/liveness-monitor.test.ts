// The liveness rules and their traffic bound, on a ManualClock (the integration tests drive real stations).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { LivenessMonitor, livenessRules } from '../../backend/ocpp/liveness.js';

function monitor(clock: ManualClock) {
  const calls = { pings: [] as string[], drops: [] as string[], changes: 0, alerts: [] as string[] };
  const m = new LivenessMonitor(clock, livenessRules(30_000), {
    ping: (id) => calls.pings.push(id),
    drop: (id) => calls.drops.push(id),
    changed: () => calls.changes++,
    stationChanged: (id, state) => calls.alerts.push(`${id} ${state}`),
  });
  return { m, calls };
}

describe('LivenessMonitor', () => {
  it('pings every 30 s, Silent after 60 s, Offline and dropped after 120 s', () => {
    const clock = new ManualClock();
    const { m, calls } = monitor(clock);
    m.connected('A');
    clock.advance(30_000);
    assert.deepEqual(calls.pings, ['A']);
    clock.advance(30_000);
    assert.equal(m.state('A'), 'silent');
    clock.advance(60_000);
    assert.equal(m.state('A'), 'offline');
    assert.deepEqual(calls.drops, ['A']);
    m.stop();
  });

  it('under a live load (every station heard every second) sends each station at most once per 20 s', () => {
    const clock = new ManualClock();
    const { m } = monitor(clock);
    const ids = Array.from({ length: 5000 }, (_, i) => `S${i}`);
    for (const id of ids) m.connected(id);
    m.takeChanged();
    let entries = 0;
    for (let s = 1; s <= 120; s++) {
      clock.advance(1000);
      for (const id of ids) m.heard(id);
      if (s % 5 === 0) entries += m.takeChanged().length;
    }
    assert.ok(entries <= 5000 * (120 / 20), `${entries} entries in 120 s`);
    assert.ok(entries >= 5000 * (120 / 25), 'and still sent regularly');
    const ages = m.all().map((e) => e[2]!);
    assert.ok(ages.every((a) => a === 0));
    m.stop();
  });

  it('a state change is news at once; a station never connected is Offline with what the store knew', () => {
    const clock = new ManualClock();
    const { m, calls } = monitor(clock);
    m.known('B', new Date(clock.now() - 3600_000).toISOString());
    assert.deepEqual(m.all(), [['B', 'offline', 3600, null]]);
    m.connected('B');
    assert.equal(calls.changes, 1);
    assert.deepEqual(
      m.takeChanged().map((e) => e[1]),
      ['online'],
    );
    m.disconnected('B');
    assert.equal(calls.changes, 2);
    m.heard('B');
    assert.equal(m.state('B'), 'offline', 'nothing is heard from a closed connection');
    m.stop();
  });

  it('stations another instance holds: Online or Silent from when it last heard them, Offline once released; never alerts', () => {
    const clock = new ManualClock();
    const { m, calls } = monitor(clock);
    const iso = (ms: number) => new Date(ms).toISOString();
    m.known('R', null);
    m.elsewhere(new Map([['R', iso(clock.now())]]));
    assert.deepEqual(m.all(), [['R', 'online', 0, 0]]);
    clock.advance(30_000);
    m.elsewhere(new Map([['R', iso(clock.now() - 1000)]]));
    assert.deepEqual(m.all(), [['R', 'online', 1, 30]]);
    assert.deepEqual(calls.pings, [], 'its holder pings it, not this instance');
    clock.advance(59_000);
    m.elsewhere(new Map([['R', iso(clock.now() - 60_000)]]));
    assert.deepEqual(m.all(), [['R', 'silent', 60, 60]], 'Silent since it was last heard, as its holder says');
    m.elsewhere(new Map([['N', iso(clock.now())]]));
    assert.deepEqual(
      m.all().map((e) => e.slice(0, 2)),
      [
        ['R', 'offline'],
        ['N', 'online'],
      ],
      'released: Offline; a station new to this instance is added',
    );
    m.connected('R');
    m.elsewhere(new Map());
    assert.equal(m.state('R'), 'online', 'connected here: this instance decides');
    assert.deepEqual(calls.alerts, ['R online'], "the leader alerts on other instances' stations from the store");
    m.stop();
  });
});
