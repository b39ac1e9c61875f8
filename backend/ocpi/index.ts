// OCPI in the running backend: the /ocpi/ endpoints, the publisher that queues pushes after each change, and the
// pusher that sends them. Mounted by server.ts; idle until our party is set up (`npm run backend -- ocpi party …`).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock, TimerHandle } from '../../common/clock.js';
import type { Store } from '../store/index.js';
import { OcpiRepo } from '../store/ocpi.js';
import { partnerUrlGuard, type UrlGuard } from './addressGuard.js';
import { createOcpiHandler } from './handler.js';
import { OcpiPublisher } from './publisher.js';
import { OcpiPusher } from './pusher.js';
import { OCPI_BASE_PATH } from './settings.js';

export { OCPI_BASE_PATH } from './settings.js';

/** What another process did on the store (the CLI set up our party, published a site, registered a partner) is
 * picked up this often. */
const SWEEP_MS = 30_000;

export interface Ocpi {
  repo: OcpiRepo;
  /** Checks a partner's URLs before the backend fetches them. */
  urlGuard: UrlGuard;
  /** The backend's own URL (for our versions URL when no public URL is set). */
  backendUrl: () => string;
  publisher: OcpiPublisher;
  pusher: OcpiPusher;
  /** Answers requests under /ocpi/. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  start(): void;
  stop(): void;
}

export interface OcpiOptions {
  /** How long a partner may take to answer one push. Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** Lets partner URLs point at private, loopback and link-local addresses (a partner inside our own network, and
   * the tests' loopback peers). Default false: refused after DNS resolution. http(s) only, always. */
  allowPrivatePartnerUrls?: boolean;
}

export function createOcpi(
  opts: { store: Store; clock: Clock; backendUrl: () => string; log: (line: string) => void } & OcpiOptions,
): Ocpi {
  const repo = new OcpiRepo(opts.store.db);
  const urlGuard = partnerUrlGuard({ allowPrivate: opts.allowPrivatePartnerUrls ?? false });
  const pusher = new OcpiPusher(repo, opts.clock, opts.log, opts.requestTimeoutMs, urlGuard.connectLookup);
  const publisher = new OcpiPublisher(opts.store, repo, opts.clock, () => pusher.kick(), opts.log);
  const handle = createOcpiHandler({
    repo,
    clock: opts.clock,
    backendUrl: opts.backendUrl,
    log: opts.log,
    partnersChanged: () => pusher.kick(),
    urlGuard,
  });
  let sweep: TimerHandle | null = null;
  const wake = () => {
    publisher.poke();
    pusher.kick();
  };
  return {
    repo,
    urlGuard,
    backendUrl: opts.backendUrl,
    publisher,
    pusher,
    handle,
    start: () => {
      sweep = opts.clock.every(SWEEP_MS, wake);
      wake();
    },
    stop: () => {
      sweep?.cancel();
      publisher.stop();
      pusher.stop();
    },
  };
}

export const isOcpiPath = (path: string): boolean => path === OCPI_BASE_PATH || path.startsWith(`${OCPI_BASE_PATH}/`);
