// The network as this console last saw it: sites, points and the sync position. All its SQL is here.
import type { Point, Site } from '../../../common/model.js';
import type { Db } from '../../../node/db.js';

export interface SyncPosition {
  networkId: string | null;
  seq: number;
  lastSyncAt: string | null;
}

/** Write-through: every change goes to SQLite in one transaction, and the same points are kept in memory. */
export class NetworkCache {
  private readonly statements;
  private readonly pointsById = new Map<string, Point>();
  private readonly sitesById = new Map<string, Site>();
  /** Changes whenever a site or point is added, renamed or moved: whatever can change the grid's default order. */
  private layout = 0;

  constructor(private readonly db: Db) {
    this.statements = {
      getMeta: db.preparePluck<string>('cache meta', 'SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare(
        'cache set meta',
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
      allSites: db.preparePluck<string>('cache all sites', 'SELECT json FROM sites ORDER BY id'),
      upsertSite: db.prepare(
        'cache upsert site',
        'INSERT INTO sites (id, json) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json',
      ),
      allPoints: db.preparePluck<string>('cache all points', 'SELECT json FROM points'),
      upsertPoint: db.prepare(
        'cache upsert point',
        'INSERT INTO points (id, seq, json) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, json = excluded.json',
      ),
    };
    for (const json of this.statements.allPoints.all()) {
      const point = JSON.parse(json) as Point;
      this.pointsById.set(point.id, point);
    }
    for (const json of this.statements.allSites.all()) {
      const site = JSON.parse(json) as Site;
      this.sitesById.set(site.id, site);
    }
  }

  meta(key: string): string | null {
    return this.statements.getMeta.get(key) ?? null;
  }

  setMeta(key: string, value: string): void {
    this.statements.setMeta.run(key, value);
  }

  position(): SyncPosition {
    return {
      networkId: this.meta('networkId'),
      seq: Number(this.meta('seq') ?? 0),
      lastSyncAt: this.meta('lastSyncAt'),
    };
  }

  sites(): Site[] {
    return [...this.sitesById.values()];
  }

  points(): Point[] {
    return [...this.pointsById.values()];
  }

  point(id: string): Point | null {
    return this.pointsById.get(id) ?? null;
  }

  pointCount(): number {
    return this.pointsById.size;
  }

  layoutVersion(): number {
    return this.layout;
  }

  /** Replaces the whole network (a snapshot), in one transaction. */
  replaceAll(networkId: string, seq: number, sites: Site[], points: Point[], at: string): void {
    this.db.tx('cache replace all', () => {
      this.db.exec('DELETE FROM sites; DELETE FROM points;');
      for (const site of sites) this.statements.upsertSite.run(site.id, JSON.stringify(site));
      for (const point of points) this.statements.upsertPoint.run(point.id, point.seq, JSON.stringify(point));
      this.setMeta('networkId', networkId);
      this.setMeta('seq', String(seq));
      this.setMeta('lastSyncAt', at);
    });
    this.pointsById.clear();
    this.sitesById.clear();
    for (const site of sites) this.sitesById.set(site.id, site);
    for (const point of points) this.pointsById.set(point.id, point);
    this.layout++;
  }

  /**
   * Applies a batch of changes in one transaction. A point older than the one cached is skipped.
   * Returns the points that changed.
   */
  applyChanges(sites: Site[], points: Point[], seq: number, at: string): Point[] {
    const changed = this.db.tx('cache apply changes', () => {
      for (const site of sites) this.statements.upsertSite.run(site.id, JSON.stringify(site));
      const changed: Point[] = [];
      for (const point of points) {
        const cachedSeq = this.pointsById.get(point.id)?.seq;
        if (cachedSeq !== undefined && cachedSeq >= point.seq) continue;
        this.statements.upsertPoint.run(point.id, point.seq, JSON.stringify(point));
        changed.push(point);
      }
      if (seq > Number(this.meta('seq') ?? 0)) this.setMeta('seq', String(seq));
      this.setMeta('lastSyncAt', at);
      return changed;
    });
    for (const site of sites) {
      if (this.sitesById.get(site.id)?.name !== site.name) this.layout++;
      this.sitesById.set(site.id, site);
    }
    for (const point of changed) {
      const before = this.pointsById.get(point.id);
      if (
        !before ||
        before.siteId !== point.siteId ||
        before.label !== point.label ||
        before.stationId !== point.stationId
      )
        this.layout++;
      this.pointsById.set(point.id, point);
    }
    return changed;
  }

  touchSync(at: string): void {
    this.setMeta('lastSyncAt', at);
  }
}
