// Replies to the page over the API WebSocket. A reply carrying many points is sent as one message in fragments.
import type { WebSocket } from 'ws';
import type { WireReply } from '../../common/consoleApi.js';

/** Sends a reply; returns its size in characters (0 when the socket is gone). */
export function sendReply(ws: WebSocket, message: WireReply): number {
  if (ws.readyState !== ws.OPEN) return 0;
  const points = message.ok ? (message.data as { points?: unknown })?.points : undefined;
  if (Array.isArray(points) && points.length > STREAM_POINTS_OVER) return sendInFragments(ws, message, points);
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
  const data = (message as { data: Record<string, unknown> }).data;
  const rest = Object.fromEntries(Object.entries(data).filter(([key]) => key !== 'points'));
  const head = JSON.stringify({ ...message, data: rest });
  // head ends with the two closing braces of data and of the reply; the points go in before them.
  let fragment = head.slice(0, -2) + (Object.keys(rest).length > 0 ? ',' : '') + '"points":[';
  let chars = 0;
  try {
    for (let i = 0; i < points.length; i += POINTS_PER_FRAME) {
      const part = JSON.stringify(points.slice(i, i + POINTS_PER_FRAME));
      fragment += (i > 0 ? ',' : '') + part.slice(1, -1);
      ws.send(fragment, { fin: false });
      chars += fragment.length;
      fragment = '';
    }
    ws.send(']}}', { fin: true });
  } catch (error) {
    // A message left unfinished would swallow every later one as its continuation: drop the socket instead (the
    // page reconnects and loads again).
    ws.terminate();
    throw error;
  }
  return chars + 3;
}
