// Liveness is the backend's word, pushed to every console, on a clock the test controls: 30 minutes of heartbeats,
// pings and silence run in a second or two. Real OCPP-J stations (1.6 and 2.0.1) over WebSocket, a real socket.io
// console that stays open throughout.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import type { Liveness, StationLivenessWire } from '../../common/protocol.js';
import { CONSOLE_EVENTS, livenessSchema } from '../../common/protocol.js';
import type { StationProtocol } from '../../common/model.js';
import {
  connectStation,
  consoleAs,
  startTestBackend,
  type TestBackend,
  type TestConsole,
  type TestStation,
} from '../support/backendHarness.js';
import { waitFor } from '../support/waitFor.js';

const PING_MS = 30_000;
const MINUTES_30 = 30 * 60_000;

/** What a console that stayed open has been told about each station, as it would show it. */
function watchLiveness(c: TestConsole): Map<string, StationLivenessWire> {
  const seen = new Map<string, StationLivenessWire>();
  c.socket.on(CONSOLE_EVENTS.liveness, (payload: Liveness) => {
    const message = livenessSchema.parse(payload);
    for (const entry of message.stations) seen.set(entry[0], entry);
  });
  return seen;
}

describe('station liveness on a controlled clock', () => {
  let clock: ManualClock;
  let b: TestBackend;
  let c: TestConsole;
  let told: Map<string, StationLivenessWire>;

  before(async () => {
    clock = new ManualClock();
    b = await startTestBackend({
      clock,
      heartbeatIntervalSec: 30,
      liveness: { pingIntervalMs: PING_MS },
      livenessFanout: { stateFlushMs: 0, heardFlushMs: 5000 },
    });
    c = await consoleAs(b.url, 'viewer');
    told = watchLiveness(c);
  });
  after(async () => {
    c.close();
    await b.dispose();
  });

  /** Moves the clock in steps, waiting at each for whatever the station does in answer (a pong, a heartbeat). */
  async function run(ms: number, step: number, each: (elapsed: number) => Promise<void>): Promise<void> {
    for (let elapsed = step; elapsed <= ms; elapsed += step) {
      clock.advance(step);
      await each(elapsed);
    }
  }

  const pongArrived = (id: string) => waitFor(`pong from ${id}`, () => b.ocpp.liveness.lastHeard(id) === clock.now());

  for (const protocol of ['ocpp1.6', 'ocpp2.0.1'] as StationProtocol[]) {
    const id = protocol === 'ocpp1.6' ? 'ST16' : 'ST201';

    it(`${protocol}: a station that only heartbeats stays Online for 30 minutes in a console open throughout`, async () => {
      // It does not answer pings: only its Heartbeats keep it Online.
      const st = await connectStation(b.ocppUrl, id, protocol, { answerPings: false });
      try {
        await st.boot();
        await run(MINUTES_30, PING_MS, async () => {
          await st.client.call('Heartbeat', {});
          assert.equal(b.ocpp.liveness.state(id), 'online');
        });
        b.flushLiveness();
        await waitFor('the console told', () => (told.get(id)?.[2] ?? Infinity) <= 20);
        assert.equal(told.get(id)![1], 'online', 'the open console shows Online');
        const fresh = await c.request('liveness', {});
        assert.ok(fresh.ok);
        const now = (fresh.data as Liveness).stations.find((s) => s[0] === id)!;
        assert.equal(now[1], 'online', 'a console asking now agrees with the one open all along');
        assert.ok(
          b.store.points.byStation(id).every((p) => p.stationConnected),
          'every point of it is connected',
        );
      } finally {
        await st.close();
      }
    });

    it(`${protocol}: a station that reconnects without a boot and only answers pings is never dropped`, async () => {
      const st = await connectStation(b.ocppUrl, id, protocol);
      let closed = false;
      st.client.on('close', () => (closed = true));
      try {
        await waitFor('connected', () => b.ocpp.isConnected(id));
        await run(MINUTES_30, 10_000, async (elapsed) => {
          if (elapsed % PING_MS === 0) await pongArrived(id);
          assert.equal(b.ocpp.liveness.state(id), 'online', `online at ${elapsed / 1000} s`);
        });
        assert.equal(closed, false, 'the connection was never closed');
        assert.ok(b.ocpp.isConnected(id));
      } finally {
        await st.close();
      }
    });
  }

  it('a station that pings us instead of heartbeating is alive', async () => {
    const st = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6', { answerPings: false });
    try {
      await waitFor('connected', () => b.ocpp.isConnected('ST16'));
      await run(10 * 60_000, 20_000, async () => {
        st.ping();
        await waitFor('its ping heard', () => b.ocpp.liveness.lastHeard('ST16') === clock.now());
        assert.equal(b.ocpp.liveness.state('ST16'), 'online');
      });
    } finally {
      await st.close();
    }
  });

  it('a station that answers nothing is Silent after 2 pings and Offline (disconnected) after 4', async () => {
    const st = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6', { answerPings: false });
    let closed = false;
    st.client.on('close', () => (closed = true));
    try {
      await waitFor('connected', () => b.ocpp.isConnected('ST16'));
      clock.advance(2 * PING_MS - 1000);
      assert.equal(b.ocpp.liveness.state('ST16'), 'online');
      clock.advance(1000);
      assert.equal(b.ocpp.liveness.state('ST16'), 'silent');
      await waitFor('the console hears Silent', () => told.get('ST16')?.[1] === 'silent');
      assert.equal(b.store.points.get('ST16-1')!.stationConnected, true, 'silent is not yet offline');
      clock.advance(2 * PING_MS);
      assert.equal(b.ocpp.liveness.state('ST16'), 'offline');
      await waitFor('the console hears Offline', () => told.get('ST16')?.[1] === 'offline');
      await waitFor('the connection closed', () => closed);
      assert.equal(b.store.points.get('ST16-1')!.stationConnected, false);
      assert.ok(
        b.logs.some((l) => l.includes('ST16 offline (nothing heard for 120 s')),
        'the log says why',
      );
    } finally {
      await st.close();
    }
  });

  it('a silent station that speaks again is Online at once', async () => {
    const st = await connectStation(b.ocppUrl, 'ST201', 'ocpp2.0.1', { answerPings: false });
    try {
      await waitFor('connected', () => b.ocpp.isConnected('ST201'));
      clock.advance(2 * PING_MS);
      assert.equal(b.ocpp.liveness.state('ST201'), 'silent');
      await st.client.call('Heartbeat', {});
      assert.equal(b.ocpp.liveness.state('ST201'), 'online');
      clock.advance(0); // the change goes out on the clock's next turn
      await waitFor('the console hears Online', () => told.get('ST201')?.[1] === 'online');
    } finally {
      await st.close();
    }
  });
});

describe('liveness traffic', () => {
  it('a state change goes out at once; last-heard times only with the regular flush, each station once', async () => {
    const clock = new ManualClock();
    const b = await startTestBackend({
      clock,
      liveness: { pingIntervalMs: PING_MS },
      livenessFanout: { stateFlushMs: 250, heardFlushMs: 5000 },
    });
    const c = await consoleAs(b.url, 'viewer');
    const messages: Liveness[] = [];
    c.socket.on(CONSOLE_EVENTS.liveness, (m: Liveness) => messages.push(m));
    let st: TestStation | null = null;
    try {
      st = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6');
      await waitFor('connected', () => b.ocpp.isConnected('ST16'));
      clock.advance(250);
      await waitFor('the Online change', () => messages.length === 1);
      assert.deepEqual(
        messages[0].stations.map((s) => [s[0], s[1]]),
        [['ST16', 'online']],
      );
      for (let i = 0; i < 5; i++) await st.client.call('Heartbeat', {});
      clock.advance(5000);
      // A barrier: the backend's answer comes after anything it sent this console before it (one connection).
      assert.ok((await c.request('history', { pointId: 'ST16-1', limit: 1 })).ok);
      assert.equal(messages.length, 1, 'heartbeats soon after the last news are not news');
      clock.advance(15_000);
      for (let i = 0; i < 5; i++) await st.client.call('Heartbeat', {});
      clock.advance(5000);
      await waitFor('the regular flush', () => messages.length === 2);
      assert.equal(messages[1].stations.length, 1, 'five heartbeats, one entry');
      assert.equal(messages[1].stations[0][2], 5, 'its age as the backend knows it');
    } finally {
      c.close();
      await st?.close();
      await b.dispose();
    }
  });
});
