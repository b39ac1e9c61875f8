// Webhook receivers and the durable queue of what must reach them. All their SQL lives here.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db, Stmt } from './db.js';

export interface Webhook {
  id: string;
  url: string;
  secret: string;
  createdAt: string;
  disabledAt: string | null;
}

export interface WebhookDelivery {
  id: number;
  webhookId: string;
  url: string;
  secret: string;
  eventId: string;
  body: string;
  attempts: number;
}

export interface DeliveryCounts {
  webhookId: string;
  url: string;
  pending: number;
  delivered: number;
  failed: number;
  lastError: string | null;
}

export class WebhooksRepo {
  private readonly s: {
    add: Stmt;
    active: Stmt<{ id: string; url: string; secret: string; created_at: string; disabled_at: string | null }>;
    disable: Stmt;
    enqueue: Stmt;
    due: Stmt<{
      id: number;
      webhook_id: string;
      url: string;
      secret: string;
      event_id: string;
      body: string;
      attempts: number;
    }>;
    delivered: Stmt;
    retry: Stmt;
    failed: Stmt;
    nextDue: Stmt<{ t: string | null }>;
    counts: Stmt<DeliveryCounts>;
  };

  constructor(db: Db) {
    this.s = {
      add: db.prepare('webhook add', 'INSERT INTO webhooks (id, url, secret, created_at) VALUES (?, ?, ?, ?)'),
      active: db.prepare('webhooks active', 'SELECT * FROM webhooks WHERE disabled_at IS NULL ORDER BY created_at'),
      disable: db.prepare(
        'webhook disable',
        'UPDATE webhooks SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL',
      ),
      enqueue: db.prepare(
        'webhook enqueue',
        `INSERT INTO webhook_deliveries (webhook_id, event_id, body, state, next_at, created_at) VALUES (?, ?, ?, 'pending', ?, ?)
         ON CONFLICT (webhook_id, event_id) DO NOTHING`,
      ),
      due: db.prepare(
        'webhook deliveries due',
        `SELECT d.id, d.webhook_id, w.url, w.secret, d.event_id, d.body, d.attempts FROM webhook_deliveries d
         JOIN webhooks w ON w.id = d.webhook_id
         WHERE d.state = 'pending' AND d.next_at <= ? AND w.disabled_at IS NULL ORDER BY d.id LIMIT ?`,
      ),
      delivered: db.prepare(
        'webhook delivered',
        "UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, delivered_at = ?, last_error = NULL WHERE id = ?",
      ),
      retry: db.prepare(
        'webhook retry',
        'UPDATE webhook_deliveries SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?',
      ),
      failed: db.prepare(
        'webhook failed',
        "UPDATE webhook_deliveries SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
      ),
      nextDue: db.prepare(
        'webhook next due',
        `SELECT MIN(d.next_at) AS t FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
         WHERE d.state = 'pending' AND w.disabled_at IS NULL`,
      ),
      counts: db.prepare(
        'webhook counts',
        `SELECT w.id AS "webhookId", w.url AS url,
           COUNT(*) FILTER (WHERE d.state = 'pending') AS pending, COUNT(*) FILTER (WHERE d.state = 'delivered') AS delivered,
           COUNT(*) FILTER (WHERE d.state = 'failed') AS failed,
           (SELECT last_error FROM webhook_deliveries x WHERE x.webhook_id = w.id AND x.last_error IS NOT NULL ORDER BY x.id DESC LIMIT 1) AS "lastError"
         FROM webhooks w LEFT JOIN webhook_deliveries d ON d.webhook_id = w.id WHERE w.disabled_at IS NULL GROUP BY w.id`,
      ),
    };
  }

  /** A new receiver with its signing secret (made here when not given). */
  add(url: string, secret: string | null, at: string): Webhook {
    const webhook = {
      id: randomUUID(),
      url,
      secret: secret ?? randomBytes(32).toString('base64url'),
      createdAt: at,
      disabledAt: null,
    };
    this.s.add.run(webhook.id, webhook.url, webhook.secret, webhook.createdAt);
    return webhook;
  }

  active(): Webhook[] {
    return this.s.active
      .all()
      .map((r) => ({ id: r.id, url: r.url, secret: r.secret, createdAt: r.created_at, disabledAt: r.disabled_at }));
  }

  disable(id: string, at: string): boolean {
    return this.s.disable.run(at, id).changes > 0;
  }

  /** Queues an event for every active receiver (inside the caller's transaction). Returns how many were queued. */
  enqueue(eventId: string, body: string, at: string): number {
    let n = 0;
    for (const w of this.active()) n += this.s.enqueue.run(w.id, eventId, body, at, at).changes;
    return n;
  }

  due(now: string, limit: number): WebhookDelivery[] {
    return this.s.due.all(now, limit).map((r) => ({
      id: r.id,
      webhookId: r.webhook_id,
      url: r.url,
      secret: r.secret,
      eventId: r.event_id,
      body: r.body,
      attempts: r.attempts,
    }));
  }

  delivered(id: number, at: string): void {
    this.s.delivered.run(at, id);
  }

  retry(id: number, nextAt: string, error: string): void {
    this.s.retry.run(nextAt, error.slice(0, 500), id);
  }

  failed(id: number, error: string): void {
    this.s.failed.run(error.slice(0, 500), id);
  }

  nextDue(): string | null {
    return this.s.nextDue.get()?.t ?? null;
  }

  counts(): DeliveryCounts[] {
    return this.s.counts
      .all()
      .map((c) => ({ ...c, pending: c.pending ?? 0, delivered: c.delivered ?? 0, failed: c.failed ?? 0 }));
  }
}
