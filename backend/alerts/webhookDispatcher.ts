// Sends queued webhook deliveries (backend/store/webhooks.ts): a signed JSON POST each, retried with backoff until the
// receiver answers 2xx, from the durable queue (so a restarted backend sends what it had not). The event id is
// stable across retries: a receiver that dedupes by it sees each alert event once.
import { createHmac } from 'node:crypto';
import type { Clock, TimerHandle } from '../../common/clock.js';
import type { Store } from '../store/index.js';
import type { WebhookDelivery } from '../store/webhooks.js';

/** Deliveries in flight at once. */
const CONCURRENT = 8;
/** After this many failed attempts (about four hours of backoff) a delivery is given up and marked failed. */
export const MAX_WEBHOOK_ATTEMPTS = 30;
const REQUEST_TIMEOUT_MS = 10_000;

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

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private async run(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      for (;;) {
        this.again = false;
        const due = this.store.webhooks.due(new Date(this.clock.now()).toISOString(), CONCURRENT);
        if (due.length === 0 && !this.again) break;
        await Promise.all(due.map((d) => this.send(d)));
        if (this.stopped) return;
      }
    } finally {
      this.running = false;
    }
    this.arm();
  }

  private arm(): void {
    this.timer?.cancel();
    const next = this.store.webhooks.nextDue();
    if (next === null || this.stopped) return;
    this.timer = this.clock.after(Math.max(0, Date.parse(next) - this.clock.now()), () => this.kick());
  }

  private async send(d: WebhookDelivery): Promise<void> {
    const timestamp = Math.floor(this.clock.now() / 1000);
    let problem: string | null = null;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Voltboard-Webhooks/1',
          'x-voltboard-event-id': d.eventId,
          'x-voltboard-signature': webhookSignature(d.secret, timestamp, d.body),
        },
        body: d.body,
        redirect: 'error',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await res.body?.cancel().catch(() => undefined);
      if (!res.ok) problem = `HTTP ${res.status}`;
    } catch (error) {
      problem = (error as Error).message;
    }
    if (this.stopped) return;
    const now = this.clock.now();
    if (problem === null) return this.store.webhooks.delivered(d.id, new Date(now).toISOString());
    if (d.attempts + 1 >= MAX_WEBHOOK_ATTEMPTS) {
      this.store.webhooks.failed(d.id, problem);
      this.log(
        `webhooks: gave up on event ${d.eventId} to ${new URL(d.url).host} after ${d.attempts + 1} attempts: ${problem}`,
      );
      return;
    }
    this.store.webhooks.retry(d.id, new Date(now + backoffMs(d.attempts)).toISOString(), problem);
  }
}
