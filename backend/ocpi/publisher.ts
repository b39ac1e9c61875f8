// Turns the store's changes into what partners must be told: after every commit it reads the points and sites changed
// since its durable cursor, works out each EVSE's OCPI status and layout, and queues (in one transaction with the
// cursor) a status PATCH per changed EVSE and a location PUT per new or re-laid-out site, for every partner.
import type { Clock } from '../../common/clock.js';
import type { Store } from '../store/index.js';
import { ocpiIdOf, type EvseRow, type OcpiRepo } from '../store/ocpi.js';
import { layoutKey } from './locations.js';
import { readParty } from './settings.js';
import { ocpiStatusOfPoint } from './statusMapping.js';

const CURSOR = 'seq';

export class OcpiPublisher {
  private scheduled = false;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: Store,
    private readonly repo: OcpiRepo,
    private readonly clock: Clock,
    private readonly queued: () => void,
    private readonly log: (line: string) => void,
  ) {
    this.unsubscribe = store.changes.onChange(() => this.schedule());
  }

  /** Catches up on what changed while the backend was down, or while OCPI was not set up. */
  poke(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
  }

  /** Changes of one turn (a burst of station reports) are read together, once. */
  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.stopped) return;
      try {
        if (this.catchUp() > 0) this.queued();
      } catch (error) {
        this.log(`ocpi: could not queue pushes: ${(error as Error).message}`);
      }
    });
  }

  /** Processes every change after the cursor; returns how many pushes were queued. Idle while OCPI is not set up. */
  catchUp(): number {
    if (!readParty(this.repo)) return 0;
    const cursor = Number(this.repo.setting(CURSOR) ?? 0);
    const to = this.store.seq;
    if (to <= cursor) return 0;
    const now = new Date(this.clock.now()).toISOString();
    return this.repo.tx('publish', () => {
      const points = this.store.points.changedSince(cursor);
      const sitesToPut = new Set(this.store.stations.sitesSince(cursor).map((s) => s.id));
      const evsesToPatch: EvseRow[] = [];
      for (const p of points) {
        const status = ocpiStatusOfPoint(p);
        const layout = layoutKey(p.label, p.connectors);
        const row = this.repo.evse(p.id);
        const next: EvseRow = {
          point_id: p.id,
          uid: ocpiIdOf(p.id),
          site_id: p.siteId,
          status,
          layout,
          last_updated: now,
        };
        if (!row) {
          this.repo.insertEvse(next);
          sitesToPut.add(p.siteId);
        } else if (row.layout !== layout || row.site_id !== p.siteId) {
          this.repo.updateEvse(next);
          sitesToPut.add(p.siteId);
          if (row.site_id !== p.siteId) sitesToPut.add(row.site_id);
        } else if (row.status !== status) {
          this.repo.updateEvse(next);
          evsesToPatch.push(next);
        }
      }
      const partners = this.repo.queueingPartnerIds();
      let queued = 0;
      for (const siteId of sitesToPut) {
        if (!this.repo.location(siteId)) continue;
        this.repo.touchLocation(siteId, now);
        for (const partner of partners) this.repo.enqueue(partner, 'location', siteId, now);
        queued += partners.length;
      }
      for (const e of evsesToPatch) {
        if (sitesToPut.has(e.site_id) || !this.repo.location(e.site_id)) continue;
        this.repo.touchLocation(e.site_id, now);
        for (const partner of partners) this.repo.enqueue(partner, 'evse', e.point_id, now);
        queued += partners.length;
      }
      this.repo.setSetting(CURSOR, String(to));
      return queued;
    });
  }
}
