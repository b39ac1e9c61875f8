// The web host's WebSocket ConsoleApi against a real WebSocket server on 127.0.0.1.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { ConsoleApiError } from '../../common/consoleApi.js';
import { withValidation } from '../../renderer/src/api/validated.js';
import { createWebSocketApi } from '../../renderer/src/api/webSocketApi.js';
import { openEarlyConnection } from '../../renderer/src/boot/earlyConnection.js';
import { FIRST_SCREEN_POINTS } from '../../common/firstScreen.js';
import type { SocketLike } from '../../renderer/src/api/socketLike.js';
import type { WebSocketApi } from '../../renderer/src/api/webSocketApi.js';
import { ConsoleStore } from '../../renderer/src/store/store.js';
import { point } from '../support/rendererFixtures.js';
import { connectionState } from '../support/fakeConsoleHost.js';
import { waitFor } from '../support/waitFor.js';
import { encodeNetworkColumns } from '../../common/networkWire.js';
import type { ViewPoint } from '../../common/consoleApi.js';

/** A whole network of `points` in the form the page asks for. */
const networkColumns = (points: ViewPoint[]) =>
  encodeNetworkColumns({ sites: [], total: points.length, seq: 1, lastSyncAt: null }, points, new Map());

type Handler = (msg: any, ws: WebSocket) => void;

describe('renderer WebSocket console API', () => {
  let server: WebSocketServer;
  let url: string;
  let handler: Handler = () => {};
  let onConnect: (ws: WebSocket) => void = () => {};
  const clients = new Set<WebSocket>();

  before(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/api' });
    await new Promise<void>((r) => server.once('listening', () => r()));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
    server.on('connection', (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('message', (d) => handler(JSON.parse(d.toString()), ws));
      onConnect(ws);
    });
  });
  after(async () => {
    for (const c of clients) c.terminate();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const make = (over: Partial<Parameters<typeof createWebSocketApi>[0]> = {}): WebSocketApi =>
    createWebSocketApi({
      url,
      createSocket: (u) => new WebSocket(u) as unknown as SocketLike,
      minRetryMs: 20,
      maxRetryMs: 50,
      ...over,
    });

  const waitOpen = (api: WebSocketApi, opens = 1) =>
    waitFor(
      `the socket open (${opens})`,
      () => api.transport.get().state === 'open' && api.transport.get().opens >= opens,
      2_000,
      10,
    );

  it('sends calls in the wire form and resolves replies by id (calls made before open wait for it)', async () => {
    const seen: any[] = [];
    handler = (msg, ws) => {
      seen.push(msg);
      ws.send(JSON.stringify({ kind: 'reply', id: msg.id, ok: true, data: { method: msg.method } }));
    };
    const api = make();
    const [a, b] = await Promise.all([api.call('getSettings', {}), api.call('listOutbox', {})]);
    assert.deepEqual(a, { method: 'getSettings' });
    assert.deepEqual(b, { method: 'listOutbox' });
    assert.equal(seen[0].kind, 'call');
    assert.deepEqual(seen[0].params, {});
    assert.notEqual(seen[0].id, seen[1].id);
    api.close();
  });

  it('rejects with the host error code and message', async () => {
    handler = (msg, ws) =>
      ws.send(
        JSON.stringify({
          kind: 'reply',
          id: msg.id,
          ok: false,
          error: { code: 'forbidden', message: 'viewers cannot edit' },
        }),
      );
    const api = make();
    await assert.rejects(
      api.call('listOutbox', {}),
      (e: unknown) => e instanceof ConsoleApiError && e.code === 'forbidden' && /viewers/.test(e.message),
    );
    api.close();
  });

  it('delivers events to listeners, and validated events are checked against the schema', async () => {
    handler = () => {};
    const raw = make();
    const api = withValidation(raw);
    await waitOpen(raw);
    const got: number[] = [];
    const off = api.on('points', (p) => got.push(p.points.length));
    const errors = console.error;
    console.error = () => {};
    try {
      for (const c of clients) {
        c.send(JSON.stringify({ kind: 'event', name: 'points', payload: { points: [point('a')], sites: [] } }));
        c.send(JSON.stringify({ kind: 'event', name: 'points', payload: { points: [{ id: 'broken' }], sites: [] } }));
        c.send(JSON.stringify({ kind: 'event', name: 'nonsense', payload: {} }));
        c.send('not json');
        // Sent last on the same socket: once it is here, everything before it has been handled.
        c.send(
          JSON.stringify({ kind: 'event', name: 'points', payload: { points: [point('b'), point('c')], sites: [] } }),
        );
      }
      await waitFor('the last event', () => got.includes(2), 2_000, 10);
    } finally {
      console.error = errors;
    }
    assert.deepEqual(got, [1, 2], 'the malformed events are dropped, the good ones delivered');
    off();
    raw.close();
  });

  it('rejects calls in flight clearly when the socket drops, then reconnects', async () => {
    handler = (msg, ws) => {
      if (msg.method === 'setStatus') ws.terminate();
      else ws.send(JSON.stringify({ kind: 'reply', id: msg.id, ok: true, data: { ok: 1 } }));
    };
    const api = make();
    await waitOpen(api);
    await assert.rejects(
      api.call('setStatus', { pointIds: ['a'], edit: { status: 'Available', reason: null, note: null, until: null } }),
      (e: unknown) =>
        e instanceof ConsoleApiError && e.code === 'offline' && /may or may not have been carried out/.test(e.message),
    );
    await waitOpen(api, 2);
    assert.deepEqual(await api.call('getSettings', {}), { ok: 1 });
    api.close();
  });

  it('times out a call that gets no answer', async () => {
    handler = () => {};
    const api = make({ callTimeoutMs: 80 });
    await assert.rejects(api.call('getSettings', {}), /No answer from the console host/);
    api.close();
  });

  it('validated calls refuse bad params before sending', async () => {
    let sent = 0;
    handler = () => sent++;
    const raw = make();
    const api = withValidation(raw);
    await assert.rejects(
      api.call('setStatus', {
        pointIds: ['a'],
        edit: { status: 'Maintenance', reason: null, note: null, until: null },
      }),
      (e: unknown) => e instanceof ConsoleApiError && e.code === 'invalid' && /reason/.test(e.message),
    );
    assert.equal(sent, 0);
    raw.close();
  });

  it('validated calls refuse a malformed answer from the host', async () => {
    handler = (msg, ws) =>
      ws.send(
        JSON.stringify({
          kind: 'reply',
          id: msg.id,
          ok: true,
          data: { sites: [], points: [{ id: 'x' }], seq: 1, lastSyncAt: null },
        }),
      );
    const raw = make();
    const api = withValidation(raw);
    await assert.rejects(
      api.call('getNetwork', {}),
      (e: unknown) => e instanceof ConsoleApiError && e.code === 'internal' && /malformed/.test(e.message),
    );
    raw.close();
  });

  // The boot chunk's socket (boot/earlyConnection.ts), opened and asked for the first screen before the app loads.
  describe('taking over the socket the boot chunk opened', () => {
    const pointsEvent = (id: string) =>
      JSON.stringify({ kind: 'event', name: 'points', payload: { points: [point(id)], sites: [] } });
    /** Messages that reached the boot's socket (counted on the socket itself, as they arrive, held or not). */
    let received = 0;
    const openEarly = () =>
      openEarlyConnection(url, (u) => {
        received = 0;
        const socket = new WebSocket(u);
        socket.on('message', () => received++);
        return socket as unknown as SocketLike;
      });
    const reachedPage = (messages: number) =>
      waitFor(`${messages} messages at the page`, () => received >= messages, 2_000, 10);
    const firstScreen = { limit: FIRST_SCREEN_POINTS };

    it('the first-screen call is not sent twice; its answer and the events that came before taking over are all delivered, in order', async () => {
      const calls: any[] = [];
      let answered = false;
      onConnect = (ws) => ws.send(pointsEvent('before-the-call'));
      handler = (msg, ws) => {
        calls.push(msg);
        ws.send(JSON.stringify({ kind: 'reply', id: msg.id, ok: true, data: { asked: msg.params } }));
        ws.send(pointsEvent('after-the-answer'));
        answered = true;
      };
      try {
        const early = openEarly();
        await waitFor('the boot to be answered', () => answered, 2_000, 10).catch(() => undefined);
        assert.ok(answered, 'the boot asked for the first screen as soon as its socket opened');
        await reachedPage(3); // the event, the answer and the event after it, before the app takes over

        const api = make({ early });
        try {
          const seen: string[] = [];
          api.on('points', (p) => seen.push(p.points[0].id));
          assert.deepEqual(await api.call('getNetworkColumns', firstScreen), { asked: firstScreen });
          assert.deepEqual(await api.call('getSettings', {}), { asked: {} });
          assert.deepEqual(
            calls.map((c) => c.method),
            ['getNetworkColumns', 'getSettings'],
            'the first screen was asked for once',
          );
          assert.notEqual(calls[1].id, calls[0].id);
          assert.deepEqual(seen, ['before-the-call', 'after-the-answer', 'after-the-answer']);
          assert.equal(api.transport.get().opens, 1);
        } finally {
          api.close();
        }
      } finally {
        onConnect = () => {};
      }
    });

    it('an answer that came before the app asked waits for it: asked later, it is not sent again', async () => {
      const calls: any[] = [];
      handler = (msg, ws) => {
        calls.push(msg);
        ws.send(JSON.stringify({ kind: 'reply', id: msg.id, ok: true, data: { n: calls.length } }));
        ws.send(pointsEvent('after-the-answer'));
      };
      const early = openEarly();
      await waitFor('the boot to ask', () => calls.length > 0, 2_000, 10);
      await reachedPage(2);
      const api = make({ early });
      try {
        // The event sent after the answer reaches the app's listener once what the boot held is handed over.
        let handedOver = false;
        api.on('points', () => (handedOver = true));
        await waitFor('the held messages handed over', () => handedOver, 2_000, 10);
        assert.deepEqual(await api.call('getNetworkColumns', firstScreen), { n: 1 });
        assert.deepEqual(await api.call('getNetworkColumns', firstScreen), { n: 2 }, 'a second ask is a new call');
        assert.equal(calls.length, 2);
      } finally {
        api.close();
      }
    });

    it('the store shows a connection event the host sent after its connection answer, and not older held ones', async () => {
      const connection = (state: 'live' | 'offline', error: string | null) => connectionState({ state, error });
      const event = (state: 'live' | 'offline', error: string | null) =>
        JSON.stringify({ kind: 'event', name: 'connection', payload: connection(state, error) });
      let answered = false;
      onConnect = (ws) => ws.send(event('offline', 'held: older than the answer'));
      handler = (msg, ws) => {
        if (msg.method === 'getNetworkColumns') {
          ws.send(
            JSON.stringify({
              kind: 'reply',
              id: msg.id,
              ok: true,
              data: networkColumns([point('a')]),
            }),
          );
          ws.send(event('offline', 'held: still older than the answer'));
          answered = true;
        } else if (msg.method === 'getConnection') {
          ws.send(JSON.stringify({ kind: 'reply', id: msg.id, ok: true, data: connection('live', null) }));
          ws.send(event('offline', 'sent after the answer'));
        } else ws.send(JSON.stringify({ kind: 'reply', id: msg.id, ok: true, data: {} }));
      };
      const early = openEarly();
      await waitFor('the boot to be answered', () => answered, 2_000, 10);
      await reachedPage(3);
      const api = make({ early });
      const store = new ConsoleStore(api, api.transport, (flush) => void setTimeout(flush, 0));
      const stop = store.start();
      try {
        await waitFor(
          'the newest connection state',
          () => store.getState().connection?.error === 'sent after the answer',
          2_000,
          10,
        ).catch(() => undefined);
        assert.equal(store.getState().connection?.error, 'sent after the answer');
        assert.equal(store.getState().points.size, 1);
      } finally {
        stop();
        api.close();
        onConnect = () => {};
      }
    });

    it('liveness the host sent before the app took its socket over reaches the store; the getLiveness answer and later events follow', async () => {
      const st = (stationId: string, state: 'online' | 'silent' | 'offline', since: string) => ({
        stationId,
        state,
        lastHeardAt: '2026-12-04T13:00:00.000Z',
        since,
      });
      const liveness = (full: boolean, stations: unknown[]) =>
        JSON.stringify({ kind: 'event', name: 'liveness', payload: { full, stations } });
      let answered = false;
      // Sent to the boot's socket before the app's code has loaded: held, then handed to the store once it listens.
      onConnect = (ws) => ws.send(liveness(false, [st('ST-A', 'silent', '2026-12-04T13:02:00.000Z')]));
      handler = (msg, ws) => {
        const reply = (data: unknown) => ws.send(JSON.stringify({ kind: 'reply', id: msg.id, ok: true, data }));
        if (msg.method === 'getNetworkColumns') {
          reply(networkColumns([point('a', { stationId: 'ST-A' }), point('b', { stationId: 'ST-B' })]));
          answered = true;
        } else if (msg.method === 'getConnection') {
          reply(connectionState({ seq: 1 }));
        } else if (msg.method === 'getLiveness') {
          reply({
            full: true,
            stations: [
              st('ST-A', 'silent', '2026-12-04T13:02:00.000Z'),
              st('ST-B', 'online', '2026-12-04T12:00:00.000Z'),
            ],
          });
          ws.send(liveness(false, [st('ST-B', 'offline', '2026-12-04T13:05:00.000Z')]));
        } else reply({});
      };
      const early = openEarly();
      await waitFor('the boot to be answered', () => answered, 2_000, 10);
      await reachedPage(2);
      const ws = make({ early });
      const store = new ConsoleStore(withValidation(ws), ws.transport, (flush) => void setTimeout(flush, 0));
      const stop = store.start();
      try {
        await waitFor(
          'ST-B offline',
          () => store.getState().liveness.get('ST-B')?.state === 'offline',
          2_000,
          10,
        ).catch(() => undefined);
        assert.equal(
          store.getState().liveness.get('ST-A')?.state,
          'silent',
          'the event held by the boot socket was not lost',
        );
        assert.equal(
          store.getState().liveness.get('ST-B')?.state,
          'offline',
          'the event after the answer applies on top of it',
        );
      } finally {
        stop();
        ws.close();
        onConnect = () => {};
      }
    });

    it('taken over before its socket opened, the boot sends nothing: the API asks once itself', async () => {
      const calls: any[] = [];
      handler = (msg, ws) => {
        calls.push(msg);
        ws.send(JSON.stringify({ kind: 'reply', id: msg.id, ok: true, data: { n: calls.length } }));
      };
      const api = make({ early: openEarly() });
      try {
        assert.deepEqual(await api.call('getNetworkColumns', firstScreen), { n: 1 });
        // One socket, answered in order: a call the boot had sent would have come before this one.
        assert.deepEqual(await api.call('getSettings', {}), { n: 2 });
        assert.deepEqual(
          calls.map((c) => c.method),
          ['getNetworkColumns', 'getSettings'],
        );
      } finally {
        api.close();
      }
    });

    it('if the socket drops before the answer, the call fails as any call in flight does, and works once the link is back', async () => {
      let connections = 0;
      let bootAsked = false;
      onConnect = () => connections++;
      handler = (msg, ws) => {
        if (connections === 1) {
          bootAsked = true;
          ws.terminate();
        } else ws.send(JSON.stringify({ kind: 'reply', id: msg.id, ok: true, data: { connection: connections } }));
      };
      try {
        const early = openEarly();
        await waitFor('the boot to ask on its socket', () => bootAsked, 2_000, 10);
        const api = make({ early });
        try {
          await assert.rejects(
            api.call('getNetworkColumns', firstScreen),
            (e: unknown) => e instanceof ConsoleApiError && e.code === 'offline',
          );
          await waitOpen(api, 2);
          assert.deepEqual(await api.call('getNetworkColumns', firstScreen), { connection: 2 });
        } finally {
          api.close();
        }
      } finally {
        onConnect = () => {};
      }
    });
  });
});
