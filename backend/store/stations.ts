// Sites and stations: what is known about each station as a whole.
import type { Site, StationProtocol } from '../../common/model.js';
import type { ChangeLog } from './changes.js';
import type { Db, Stmt } from './db.js';
import { nowIso } from './changes.js';

export interface StationRow {
  id: string;
  site_id: string;
  protocol: StationProtocol;
  vendor: string | null;
  model: string | null;
  connected: number;
  last_seen: string | null;
  booted_at: string | null;
  status: string | null;
  error_code: string | null;
  status_info: string | null;
  status_at: string | null;
  /** See StationLayout. */
  layout: StationLayout;
  /** The backend instance holding its connection (several instances on PostgreSQL; else null). */
  held_by: number | null;
}

/**
 * 'registered': the station may report only on its points in the store (registered by the seed or an admin);
 * 'learned': its points are created from its reports, within the per-station limits (backend/ocpp/layout.ts).
 */
export type StationLayout = 'registered' | 'learned';

/** A station's password as stored (OCPP security profile 1): scrypt hash, salt and cost, never the password. */
export interface StationCredential {
  hash: string;
  salt: string;
  /** scrypt N */
  cost: number;
}

/** A station as `station list` shows it (never the hash). */
export interface StationListing {
  id: string;
  site_id: string;
  protocol: StationProtocol;
  layout: StationLayout;
  points: number;
  connected: number;
  password_set_at: string | null;
}

export interface NewStation {
  id: string;
  siteId: string;
  protocol: StationProtocol;
  vendor?: string | null;
  model?: string | null;
  /** Default 'learned'. */
  layout?: StationLayout;
}

type SiteRow = Omit<Site, 'timeZone'> & { timeZone: string; seq: number };
const SITE_COLUMNS = 'id, name, city, address, time_zone AS "timeZone", seq';

export class StationsRepo {
  private readonly s: {
    siteGet: Stmt<SiteRow>;
    siteInsert: Stmt;
    siteUpdate: Stmt;
    sitesAll: Stmt<SiteRow>;
    sitesSince: Stmt<SiteRow>;
    sitesSeq: Stmt<{ seq: number | null }>;
    get: Stmt<StationRow>;
    getLocked: Stmt<StationRow>;
    insert: Stmt;
    touch: Stmt;
    boot: Stmt;
    wholeStatus: Stmt;
    connectedIds: Stmt<{ id: string }>;
    lastSeenAll: Stmt<{ id: string; last_seen: string | null }>;
    setConnected: Stmt;
    heldBy: Stmt<{ id: string }>;
    heldByNone: Stmt<{ id: string }>;
    heldByOthers: Stmt<{ id: string; last_seen: string | null }>;
    connectedFlags: Stmt<{ id: string; connected: number }>;
    holders: Stmt<{ held_by: number }>;
    credential: Stmt<{ password_hash: string | null; password_salt: string | null; password_cost: number | null }>;
    setPassword: Stmt;
    setLayout: Stmt;
    list: Stmt<StationListing>;
  };

  constructor(
    db: Db,
    private readonly changes: ChangeLog,
  ) {
    this.s = {
      siteGet: db.prepare('site get', `SELECT ${SITE_COLUMNS} FROM sites WHERE id = ?`),
      siteInsert: db.prepare(
        'site insert',
        'INSERT INTO sites (id, name, city, address, time_zone, seq) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      siteUpdate: db.prepare(
        'site update',
        'UPDATE sites SET name = ?, city = ?, address = ?, time_zone = ?, seq = ? WHERE id = ?',
      ),
      sitesAll: db.prepare('sites all', `SELECT ${SITE_COLUMNS} FROM sites ORDER BY name, id`),
      sitesSince: db.prepare('sites since', `SELECT ${SITE_COLUMNS} FROM sites WHERE seq > ? ORDER BY seq`),
      sitesSeq: db.prepare('sites seq', 'SELECT MAX(seq) AS seq FROM sites'),
      get: db.prepare('station get', 'SELECT * FROM stations WHERE id = ?'),
      getLocked: db.prepare(
        'station get locked',
        `SELECT * FROM stations WHERE id = ?${db.dialect === 'postgres' ? ' FOR UPDATE' : ''}`,
      ),
      insert: db.prepare(
        'station insert',
        `INSERT INTO stations (id, site_id, protocol, vendor, model, created_at, layout) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      // PostgreSQL: never waits for a station row another write holds (an instance recording the station's
      // connection holds it, then waits for the seq, which a turn writing this may already hold): that last-seen
      // time is skipped, the station's next message writes a newer one.
      touch: db.prepare(
        'station touch',
        db.dialect === 'postgres'
          ? 'UPDATE stations SET last_seen = ? WHERE id = (SELECT id FROM stations WHERE id = ? FOR UPDATE SKIP LOCKED)'
          : 'UPDATE stations SET last_seen = ? WHERE id = ?',
      ),
      boot: db.prepare(
        'station boot',
        'UPDATE stations SET vendor = ?, model = ?, booted_at = ?, protocol = ? WHERE id = ?',
      ),
      wholeStatus: db.prepare(
        'station status',
        'UPDATE stations SET status = ?, error_code = ?, status_info = ?, status_at = ? WHERE id = ?',
      ),
      connectedIds: db.prepare('stations connected', 'SELECT id FROM stations WHERE connected = 1'),
      lastSeenAll: db.prepare('stations last seen', 'SELECT id, last_seen FROM stations'),
      setConnected: db.prepare(
        'station connected',
        'UPDATE stations SET connected = ?, last_seen = COALESCE(?, last_seen), held_by = ? WHERE id = ?',
      ),
      heldBy: db.prepare('stations held by', 'SELECT id FROM stations WHERE connected = 1 AND held_by = ?'),
      heldByNone: db.prepare(
        'stations held by none',
        'SELECT id FROM stations WHERE connected = 1 AND held_by IS NULL',
      ),
      heldByOthers: db.prepare(
        'stations held by other instances',
        'SELECT id, last_seen FROM stations WHERE connected = 1 AND held_by IS NOT NULL AND held_by <> ?',
      ),
      connectedFlags: db.prepare('stations connected flags', 'SELECT id, connected FROM stations'),
      holders: db.prepare(
        'station holders',
        'SELECT DISTINCT held_by FROM stations WHERE connected = 1 AND held_by IS NOT NULL',
      ),
      credential: db.prepare(
        'station credential',
        'SELECT password_hash, password_salt, password_cost FROM stations WHERE id = ?',
      ),
      setPassword: db.prepare(
        'station password',
        'UPDATE stations SET password_hash = ?, password_salt = ?, password_cost = ?, password_set_at = ? WHERE id = ?',
      ),
      setLayout: db.prepare('station layout', 'UPDATE stations SET layout = ? WHERE id = ?'),
      list: db.prepare(
        'stations list',
        `SELECT s.id, s.site_id, s.protocol, s.layout, s.connected, s.password_set_at,
           (SELECT COUNT(*) FROM points p WHERE p.station_id = s.id) AS points
         FROM stations s ORDER BY s.id`,
      ),
    };
  }

  /** Creates a site, or updates it when it differs (a change with a seq). */
  upsertSite(site: Site): void {
    this.changes.write('upsert site', () => {
      const cur = this.s.siteGet.get(site.id);
      const timeZone = site.timeZone ?? 'UTC';
      if (!cur) this.s.siteInsert.run(site.id, site.name, site.city, site.address, timeZone, this.changes.next());
      else if (
        cur.name !== site.name ||
        cur.city !== site.city ||
        cur.address !== site.address ||
        cur.timeZone !== timeZone
      )
        this.s.siteUpdate.run(site.name, site.city, site.address, timeZone, this.changes.next(), site.id);
    });
  }

  site(id: string): Site | null {
    const r = this.s.siteGet.get(id);
    return r ? strip(r) : null;
  }

  allSites(): Site[] {
    return this.s.sitesAll.all().map(strip);
  }

  /** The last change to any site (one added, renamed or moved to another zone); 0 with none. */
  sitesSeq(): number {
    return Number(this.s.sitesSeq.get()?.seq ?? 0);
  }

  sitesSince(seq: number): (Site & { seq: number })[] {
    return this.s.sitesSince.all(seq);
  }

  get(id: string): StationRow | null {
    return this.s.get.get(id) ?? null;
  }

  /**
   * The station's row, locked until the transaction ends (PostgreSQL; SQLite has one writer): another instance
   * recording the station's connection at the same moment commits first, and what is read here is its result.
   * Taken before the write's seq (the row, then the seq). Writes that hold the seq never wait for a station row: a
   * turn's last-seen times skip a row another write holds (station touch).
   */
  getLocked(id: string): StationRow | null {
    return this.s.getLocked.get(id) ?? null;
  }

  insert(st: NewStation): void {
    this.s.insert.run(
      st.id,
      st.siteId,
      st.protocol,
      st.vendor ?? null,
      st.model ?? null,
      nowIso(),
      st.layout ?? 'learned',
    );
  }

  /** The station's stored password hash, or null when it has none (or is unknown). */
  credential(id: string): StationCredential | null {
    const r = this.s.credential.get(id);
    if (!r?.password_hash || !r.password_salt || !r.password_cost) return null;
    return { hash: r.password_hash, salt: r.password_salt, cost: r.password_cost };
  }

  /** Sets (or with null, clears) the station's password hash. False for an unknown station. */
  setPassword(id: string, credential: StationCredential | null): boolean {
    const c = credential;
    return (
      this.s.setPassword.run(c?.hash ?? null, c?.salt ?? null, c?.cost ?? null, c ? nowIso() : null, id).changes > 0
    );
  }

  setLayout(id: string, layout: StationLayout): void {
    this.s.setLayout.run(layout, id);
  }

  list(): StationListing[] {
    return this.s.list.all();
  }

  /** Records that the station was heard from (not a change: consoles see it with the next change). */
  touch(id: string, at: string): void {
    this.s.touch.run(at, id);
  }

  recordBoot(id: string, vendor: string | null, model: string | null, protocol: StationProtocol, at: string): void {
    this.s.boot.run(vendor, model, at, protocol, id);
  }

  /** The station's report about itself (connector/evse 0); never touches the points. */
  setWholeStationStatus(id: string, status: string, errorCode: string | null, info: string | null, at: string): void {
    this.s.wholeStatus.run(status, errorCode, info, at, id);
  }

  /** Every station with when it was last heard from. */
  lastSeenAll(): { id: string; last_seen: string | null }[] {
    return this.s.lastSeenAll.all();
  }

  connectedIds(): string[] {
    return this.s.connectedIds.all().map((r) => r.id);
  }

  /** Only the station row; use PointsRepo.setConnection for the change the consoles see. */
  setConnectedFlag(id: string, connected: boolean, at: string | null): void {
    this.s.setConnected.run(connected ? 1 : 0, at, connected ? this.holder : null, id);
  }

  /**
   * The backend instance that marks stations connected (docs/cluster.md): recorded with each connection, so when
   * an instance dies the others know which stations were on it. Null with one instance.
   */
  holder: number | null = null;

  /** Several instances: the station is recorded as connected through another one. */
  heldElsewhere(id: string): boolean {
    if (this.holder === null) return false;
    const st = this.get(id);
    return st?.connected === 1 && st.held_by !== null && st.held_by !== this.holder;
  }

  /** Stations recorded as connected to the given instance. */
  connectedTo(holder: number): string[] {
    return this.s.heldBy.all(holder).map((r) => r.id);
  }

  /** Stations recorded as connected through other instances, with when each was last heard (its holder writes it). */
  heldByOthers(): Map<string, string | null> {
    if (this.holder === null) return new Map();
    return new Map(this.s.heldByOthers.all(this.holder).map((r) => [r.id, r.last_seen]));
  }

  /** Stations recorded as connected with no instance (a store used by one instance, or from before instances). */
  connectedToNoInstance(): string[] {
    return this.s.heldByNone.all().map((r) => r.id);
  }

  /** Every station's connected flag. */
  connectedFlags(): Map<string, boolean> {
    return new Map(this.s.connectedFlags.all().map((r) => [r.id, r.connected === 1]));
  }

  /** The instances that hold connected stations. */
  holders(): number[] {
    return this.s.holders.all().map((r) => Number(r.held_by));
  }
}

function strip(r: SiteRow): Site {
  return { id: r.id, name: r.name, city: r.city, address: r.address, timeZone: r.timeZone };
}
