// A getNetwork reply with tens of thousands of points goes out as one WebSocket message in fragments: the page must
// receive exactly the JSON it would have got in one piece. Real ws server and client on loopback.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import type { WireReply } from '../../common/consoleApi.js';
import { sendReply } from '../../electron/host/replies.js';

async function pair(): Promise<{ server: WebSocket; client: WebSocket; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const port = (wss.address() as { port: number }).port;
  const serverSide = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise<void>((resolve, reject) => (client.once('open', () => resolve()), client.once('error', reject)));
  const server = await serverSide;
  return {
    server,
    client,
    async close() {
      client.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

const nextMessage = (ws: WebSocket) =>
  new Promise<{ text: string; frames: number }>((resolve) =>
    ws.once('message', (data, isBinary) => resolve({ text: data.toString(), frames: isBinary ? -1 : 1 })),
  );

describe('web host replies', () => {
  for (const n of [0, 10, 5_000, 5_001, 12_345]) {
    it(`a reply with ${n} points arrives as one text message with the same content`, async () => {
      const { server, client, close } = await pair();
      try {
        const points = Array.from({ length: n }, (_, i) => ({
          id: `p-${i}`,
          label: `Bay "${i}"\n`,
          seq: i,
          pending: null,
        }));
        const reply: WireReply = {
          kind: 'reply',
          id: 7,
          ok: true,
          data: { sites: [{ id: 's', name: 'Ünïcode ⚡' }], total: n, points, seq: 9, lastSyncAt: null },
        };
        const received = nextMessage(client);
        const bytes = sendReply(server, reply);
        const { text, frames } = await received;
        assert.equal(frames, 1, 'a text message');
        assert.deepEqual(JSON.parse(text), reply);
        assert.ok(bytes >= text.length - 10 && bytes <= text.length + 10, `reported ${bytes} bytes for ${text.length}`);
      } finally {
        await close();
      }
    });
  }

  it('an error reply and a reply without points go out whole', async () => {
    const { server, client, close } = await pair();
    try {
      const error: WireReply = { kind: 'reply', id: 1, ok: false, error: { code: 'invalid', message: 'bad' } };
      let received = nextMessage(client);
      sendReply(server, error);
      assert.deepEqual(JSON.parse((await received).text), error);
      const plain: WireReply = { kind: 'reply', id: 2, ok: true, data: { state: 'live' } };
      received = nextMessage(client);
      sendReply(server, plain);
      assert.deepEqual(JSON.parse((await received).text), plain);
    } finally {
      await close();
    }
  });

  it('a reply that cannot be encoded halfway drops the socket instead of leaving a message unfinished', async () => {
    const { server, client, close } = await pair();
    try {
      const points: unknown[] = Array.from({ length: 6_000 }, (_, i) => ({ id: `p-${i}` }));
      points[4_500] = { id: 'bad', seq: 1n }; // JSON.stringify cannot encode a BigInt: fails after the first fragments
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      let messages = 0;
      client.on('message', () => messages++);
      assert.throws(() => sendReply(server, { kind: 'reply', id: 3, ok: true, data: { points } }), /BigInt/);
      await closed;
      assert.equal(messages, 0, 'no half message was delivered');
    } finally {
      await close();
    }
  });
});
