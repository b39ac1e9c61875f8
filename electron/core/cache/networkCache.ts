// The network as this console last saw it: sites, points and the sync position. All its SQL is here.
import type { Point, Site } from '../../../common/model.js';
import type { SqliteDatabase } from '../../../node/sqlite.js';

export interface SyncPosition {
  networkId: string | null;
  seq: number;
  lastSyncAt: string | null;
}

/** How long live changes wait in memory before they are written to SQLite together (see applyChanges). */
export const CACHE_WRITE_DELAY_MS = 250;

/**
 * The network in memory, written behind to SQLite. A snapshot is written at once; live changes are applied in
 * memory (and shown) at once and written every CACHE_WRITE_DELAY_MS in one transaction together with the sync
 * position they bring the cache to. A crash loses at most those last changes and the position that goes with
 * them, so the next start asks the backend for them again: nothing is lost, and the cache never holds points
 * newer than its position says. (Writing each batch as it came cost half of the console's CPU under load.)
 */
export class NetworkCache {
  private readonly statements;
  private readonly pointsById = new Map<string, Point>();
  private readonly sitesById = new Map<string, Site>();
  private current: SyncPosition;
  private readonly unwrittenPoints = new Map<string, Point>();
  private readonly unwrittenSites = new Map<string, Site>();
  private positionUnwritten = false;
  private writeTimer: ReturnType<typeof setTimeout> | null = null;

  private readonly writeDelayMs: number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly db: SqliteDatabase,
    options: { writeDelayMs?: number; log?: (line: string) => void } = {},
  ) {
    this.writeDelayMs = options.writeDelayMs ?? CACHE_WRITE_DELAY_MS;
    this.log = options.log ?? (() => undefined);
    this.statements = {
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      allSites: db.prepare('SELECT json FROM sites ORDER BY id').pluck(),
      upsertSite: db.prepare('INSERT INTO sites (id, json) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json'),
      allPoints: db.prepare('SELECT json FROM points').pluck(),
      upsertPoint: db.prepare(
        'INSERT INTO points (id, seq, json) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, json = excluded.json',
      ),
    };
    for (const json of this.statements.allPoints.all() as string[]) {
      const point = JSON.parse(json) as Point;
      this.pointsById.set(point.id, point);
    }
    for (const json of this.statements.allSites.all() as string[]) {
      const site = JSON.parse(json) as Site;
      this.sitesById.set(site.id, site);
    }
    this.current = {
      networkId: this.meta('networkId'),
      seq: Number(this.meta('seq') ?? 0),
      lastSyncAt: this.meta('lastSyncAt'),
    };
  }

  meta(key: string): string | null {
    return (this.statements.getMeta.get(key) as string | undefined) ?? null;
  }

  setMeta(key: string, value: string): void {
    this.statements.setMeta.run(key, value);
  }

  position(): SyncPosition {
    return { ...this.current };
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

  /** Replaces the whole network (a snapshot), in one transaction, at once. */
  replaceAll(networkId: string, seq: number, sites: Site[], points: Point[], at: string): void {
    this.dropUnwritten();
    this.db.transaction(() => {
      this.db.exec('DELETE FROM sites; DELETE FROM points;');
      for (const site of sites) this.statements.upsertSite.run(site.id, JSON.stringify(site));
      for (const point of points) this.statements.upsertPoint.run(point.id, point.seq, JSON.stringify(point));
      this.setMeta('networkId', networkId);
      this.setMeta('seq', String(seq));
      this.setMeta('lastSyncAt', at);
    })();
    this.current = { networkId, seq, lastSyncAt: at };
    this.pointsById.clear();
    this.sitesById.clear();
    for (const site of sites) this.sitesById.set(site.id, site);
    for (const point of points) this.pointsById.set(point.id, point);
  }

  /**
   * Applies a batch of changes in memory at once; they reach SQLite with the next write (see the class). A point
   * older than the one cached is skipped. Returns the points that changed.
   */
  applyChanges(sites: Site[], points: Point[], seq: number, at: string): Point[] {
    const changed: Point[] = [];
    for (const point of points) {
      const cachedSeq = this.pointsById.get(point.id)?.seq;
      if (cachedSeq !== undefined && cachedSeq >= point.seq) continue;
      this.pointsById.set(point.id, point);
      this.unwrittenPoints.set(point.id, point);
      changed.push(point);
    }
    for (const site of sites) {
      this.sitesById.set(site.id, site);
      this.unwrittenSites.set(site.id, site);
    }
    this.current = { ...this.current, seq: Math.max(this.current.seq, seq), lastSyncAt: at };
    this.positionUnwritten = true;
    this.scheduleWrite();
    return changed;
  }

  touchSync(at: string): void {
    this.current = { ...this.current, lastSyncAt: at };
    this.positionUnwritten = true;
    this.scheduleWrite();
  }

  /** Writes what is only in memory now, in one transaction (also called on close). */
  flush(): void {
    if (this.writeTimer) clearTimeout(this.writeTimer);
    this.writeTimer = null;
    if (!this.positionUnwritten && this.unwrittenPoints.size === 0 && this.unwrittenSites.size === 0) return;
    const position = this.current;
    this.db.transaction(() => {
      for (const site of this.unwrittenSites.values()) this.statements.upsertSite.run(site.id, JSON.stringify(site));
      for (const point of this.unwrittenPoints.values()) this.statements.upsertPoint.run(point.id, point.seq, JSON.stringify(point));
      this.setMeta('seq', String(position.seq));
      if (position.lastSyncAt) this.setMeta('lastSyncAt', position.lastSyncAt);
    })();
    this.dropUnwritten();
  }

  private scheduleWrite(): void {
    if (this.writeTimer) return;
    this.writeTimer = setTimeout(() => {
      this.writeTimer = null;
      try {
        this.flush();
      } catch (error) {
        // Memory stays right and the changes stay queued: try again later (the position written is still the old one).
        this.log(`could not write the network cache, will try again: ${(error as Error).message}`);
        this.scheduleWrite();
      }
    }, this.writeDelayMs);
    this.writeTimer.unref?.();
  }

  private dropUnwritten(): void {
    if (this.writeTimer) clearTimeout(this.writeTimer);
    this.writeTimer = null;
    this.unwrittenPoints.clear();
    this.unwrittenSites.clear();
    this.positionUnwritten = false;
  }
}
