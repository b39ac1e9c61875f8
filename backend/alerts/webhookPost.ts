// One webhook POST over node:http(s) with kept-alive connections per receiver: far less work per request than fetch
// (no Request/Response objects, no stream adapters), which is what bounded the deliveries per second. Redirects are
// never followed (a 3xx is a failed attempt).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

const agents = {
  'http:': new HttpAgent({ keepAlive: true, maxSockets: 32 }),
  'https:': new HttpsAgent({ keepAlive: true, maxSockets: 32 }),
};

/** Resolves to the HTTP status (the body is read and dropped), rejects on a network error or after timeoutMs. */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<number> {
  const target = new URL(url);
  const protocol = target.protocol as keyof typeof agents;
  if (!(protocol in agents)) return Promise.reject(new Error(`unsupported protocol ${target.protocol}`));
  const send = protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        agent: agents[protocol],
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res: IncomingMessage) => {
        res.on('error', reject);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.resume();
      },
    );
    req.on('error', (error: Error) =>
      reject(error.name === 'AbortError' ? new Error(`no answer within ${timeoutMs / 1000} s`) : error),
    );
    req.end(body);
  });
}
