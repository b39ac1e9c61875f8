// Sends queued webhook deliveries (backend/store/webhooks.ts): a signed JSON POST each, retried with backoff until the
// receiver answers 2xx, from the durable queue (so a restarted backend sends what it had not). The event id is
// stable across retries: a receiver that dedupes by it sees each alert event once.
import { createHmac } from 'node:crypto';
import type { Clock, TimerHandle } from '../../common/clock.js';
import type { Store } from '../store/index.js';
import type { WebhookDelivery } from '../store/webhooks.js';
import { postWebhook } from './webhookPost.js';

/** Deliveries in flight at once (each freed slot takes the next one at once: no waiting for the slowest of a batch). */
const CONCURRENT = 16;
/** Due deliveries read from the queue at a time, beyond those in flight. */
const CLAIM = 64;
/** After this many failed attempts (about four hours of backoff) a delivery is given up and marked failed. */
export const MAX_WEBHOOK_ATTEMPTS = 30;
const REQUEST_TIMEOUT_MS = 10_000;

/** What became of one attempt, recorded with the others of the same turn in one commit. */
type Outcome =
  | { kind: 'delivered'; d: WebhookDelivery; at: string }
  | { kind: 'retry'; d: WebhookDelivery; nextAt: string; problem: string }
  | { kind: 'failed'; d: WebhookDelivery; problem: string };

/** The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the receiver's secret>`. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** Wait before attempt n+1: 1 s, 2 s, 4 s … at most 10 minutes. */
export const backoffMs = (attempts: number): number => Math.min(600_000, 1000 * 2 ** Math.min(attempts, 20));

export class WebhookDispatcher {
  private timer: TimerHandle | null = null;
  private running = false;
  private again = false;
  private stopped = false;
  /** Read from the queue, not yet sent. */
  private claimed: WebhookDelivery[] = [];
  /** Being sent: still pending in the store, so never read again meanwhile. */
  private readonly inFlight = new Set<number>();
  /** Answered, not yet recorded. */
  private outcomes: Outcome[] = [];

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: (line: string) => void,
  ) {}

  /** Something was queued (or the backend started): send what is due. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    setImmediate(() => void this.run());
  }

  /** Stops sending. Answers already in are recorded first (a clean stop re-sends nothing that was answered); those
   * still on their way are not, and are sent again after a restart (receivers dedupe by the event id). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.timer?.cancel();
    this.flush();
  }

  private async run(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      await Promise.all(Array.from({ length: CONCURRENT }, () => this.worker()));
      if (this.stopped) return;
      this.flush();
    } finally {
      this.running = false;
    }
    if (this.again) return this.kick();
    this.arm();
  }

  private async worker(): Promise<void> {
    for (;;) {
      const d = this.next();
      if (!d) return;
      const outcome = await this.send(d);
      if (this.stopped) return;
      this.outcomes.push(outcome);
      this.inFlight.delete(d.id);
      if (this.outcomes.length >= CONCURRENT) this.flush();
    }
  }

  /** The next delivery to send: from those claimed, or the queue read again (after recording what was answered). */
  private next(): WebhookDelivery | undefined {
    if (this.stopped) return undefined;
    if (this.claimed.length === 0) {
      this.again = false;
      this.flush();
      const now = new Date(this.clock.now()).toISOString();
      this.claimed = this.store.webhooks.due(now, this.inFlight.size + CLAIM).filter((d) => !this.inFlight.has(d.id));
    }
    const d = this.claimed.shift();
    if (d) this.inFlight.add(d.id);
    return d;
  }

  /**
   * Records answers in one transaction, one commit (one fsync) for up to CONCURRENT deliveries: when that many are in,
   * before the queue is read again, and when nothing is left. A crash before it sends those again, as a crash between
   * a 2xx and its commit always could: receivers dedupe by the event id.
   */
  private flush(): void {
    if (this.outcomes.length === 0) return;
    const outcomes = this.outcomes;
    this.outcomes = [];
    this.store.db.tx('webhook outcomes', () => {
      for (const o of outcomes) {
        if (o.kind === 'delivered') this.store.webhooks.delivered(o.d.id, o.at);
        else if (o.kind === 'retry') this.store.webhooks.retry(o.d.id, o.nextAt, o.problem);
        else this.store.webhooks.failed(o.d.id, o.problem);
      }
    });
    for (const o of outcomes) {
      if (o.kind !== 'failed') continue;
      this.log(
        `webhooks: gave up on event ${o.d.eventId} to ${new URL(o.d.url).host} after ${o.d.attempts + 1} attempts: ${o.problem}`,
      );
    }
  }

  private arm(): void {
    this.timer?.cancel();
    const next = this.store.webhooks.nextDue();
    if (next === null || this.stopped) return;
    this.timer = this.clock.after(Math.max(0, Date.parse(next) - this.clock.now()), () => this.kick());
  }

  private async send(d: WebhookDelivery): Promise<Outcome> {
    const timestamp = Math.floor(this.clock.now() / 1000);
    let problem: string | null = null;
    try {
      const status = await postWebhook(
        d.url,
        {
          'content-type': 'application/json',
          'user-agent': 'Voltboard-Webhooks/1',
          'x-voltboard-event-id': d.eventId,
          'x-voltboard-signature': webhookSignature(d.secret, timestamp, d.body),
        },
        d.body,
        REQUEST_TIMEOUT_MS,
      );
      if (status < 200 || status > 299) problem = `HTTP ${status}`;
    } catch (error) {
      problem = (error as Error).message;
    }
    const now = this.clock.now();
    if (problem === null) return { kind: 'delivered', d, at: new Date(now).toISOString() };
    if (d.attempts + 1 >= MAX_WEBHOOK_ATTEMPTS) return { kind: 'failed', d, problem };
    return { kind: 'retry', d, nextAt: new Date(now + backoffMs(d.attempts)).toISOString(), problem };
  }
}
