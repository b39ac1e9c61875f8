// Replies to the page over the API WebSocket. A reply carrying many points is sent as one message in fragments.
import type { WebSocket } from 'ws';
import type { WireReply } from '../../common/consoleApi.js';
import { NETWORK_COLUMNS_FORM, type NetworkColumns } from '../../common/networkWire.js';

/** Sends a reply; returns its size in characters (0 when the socket is gone). */
export function sendReply(ws: WebSocket, message: WireReply): number {
  if (ws.readyState !== ws.OPEN) return 0;
  const points = message.ok ? (message.data as { points?: unknown })?.points : undefined;
  if (Array.isArray(points) && points.length > STREAM_POINTS_OVER) return sendInFragments(ws, message, points);
  const data = message.ok ? (message.data as Partial<NetworkColumns> | null) : null;
  if (data?.form === NETWORK_COLUMNS_FORM && (data.ids?.length ?? 0) > STREAM_POINTS_OVER)
    return sendColumnsInFragments(ws, message as WireReply & { data: NetworkColumns });
  const text = JSON.stringify(message);
  ws.send(text);
  return text.length;
}

/** Replies with more points than this go out as one message in several frames. */
const STREAM_POINTS_OVER = 5_000;
const POINTS_PER_FRAME = 2_000;

/**
 * One WebSocket message sent as fragments of a few thousand points each: the page receives the same JSON, but the
 * host never builds the whole text (25 MB for 50,000 points) as one string. (The encoded frames still wait in the
 * socket's buffer together; the size returned is in characters.)
 */
function sendInFragments(ws: WebSocket, message: WireReply, points: unknown[]): number {
  const parts = (function* () {
    for (let i = 0; i < points.length; i += POINTS_PER_FRAME) {
      const part = JSON.stringify(points.slice(i, i + POINTS_PER_FRAME));
      yield (i > 0 ? ',' : '"points":[') + part.slice(1, -1);
    }
  })();
  return sendAround(ws, message, ['points'], parts, ']}}');
}

/** A network in columns (common/networkWire.ts): its ids, its texts and each column are fragments of their own. */
function sendColumnsInFragments(ws: WebSocket, message: WireReply & { data: NetworkColumns }): number {
  const { columns, ids, texts } = message.data;
  const parts = (function* () {
    yield `"ids":${JSON.stringify(ids)}`;
    yield `,"texts":${JSON.stringify(texts)}`;
    let first = true;
    for (const [name, column] of Object.entries(columns)) {
      yield `${first ? ',"columns":{' : ','}${JSON.stringify(name)}:${JSON.stringify(column)}`;
      first = false;
    }
  })();
  return sendAround(ws, message, ['ids', 'texts', 'columns'], parts, '}}}');
}

/**
 * Sends `message` as one WebSocket message in several frames: its head without the data's keys `leftOut`, then
 * `parts` (which write those keys), then `close` (what closes the last part, the data and the reply).
 */
function sendAround(ws: WebSocket, message: WireReply, leftOut: string[], parts: Iterable<string>, close: string) {
  const data = (message as { data: Record<string, unknown> }).data;
  const rest = Object.fromEntries(Object.entries(data).filter(([key]) => !leftOut.includes(key)));
  const head = JSON.stringify({ ...message, data: rest });
  // head ends with the two closing braces of data and of the reply; the parts go in before them.
  let fragment = head.slice(0, -2) + (Object.keys(rest).length > 0 ? ',' : '');
  let chars = 0;
  try {
    for (const part of parts) {
      fragment += part;
      ws.send(fragment, { fin: false });
      chars += fragment.length;
      fragment = '';
    }
    ws.send(close, { fin: true });
  } catch (error) {
    // A message left unfinished would swallow every later one as its continuation: drop the socket instead (the
    // page reconnects and loads again).
    ws.terminate();
    throw error;
  }
  return chars + close.length;
}
