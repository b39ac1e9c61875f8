// OCPI partners, what we publish per site and EVSE, and the durable push queue. All their SQL lives here.
import { createHash, randomUUID } from 'node:crypto';
import type { Db, Stmt } from './db.js';

export const PARTNER_STATES = ['invited', 'registering', 'registered', 'suspended', 'removed'] as const;
export type PartnerState = (typeof PARTNER_STATES)[number];

export interface PartnerRow {
  id: string;
  name: string;
  state: PartnerState;
  outgoing_token: string | null;
  versions_url: string | null;
  version: string | null;
  endpoints: string;
  roles: string;
  created_at: string;
  registered_at: string | null;
  attempts: number;
  next_attempt_at: string | null;
  failing_since: string | null;
  last_error: string | null;
}

/** Which token a request was authenticated with: A only opens versions and credentials. */
export type TokenKind = 'A' | 'C';

export interface LocationRow {
  site_id: string;
  location_id: string;
  country: string;
  latitude: string;
  longitude: string;
  postal_code: string | null;
  created_at: string;
  last_updated: string;
  name: string;
  city: string;
  address: string;
  time_zone: string;
}

export interface EvseRow {
  point_id: string;
  uid: string;
  site_id: string;
  status: string;
  layout: string;
  last_updated: string;
}

export type PushKind = 'evse' | 'location';
export type PushState = 'pending' | 'accepted' | 'refused';

export interface PushRow {
  partner_id: string;
  kind: PushKind;
  object_id: string;
  generation: number;
  state: PushState;
  status_code: number | null;
  message: string | null;
  queued_at: string;
  sent_at: string | null;
  answered_at: string | null;
}

/** What one partner was last told about one point, for "shown to drivers in n of m partner apps". */
export interface PointDelivery {
  partnerId: string;
  partnerName: string;
  state: PushState | 'notQueued';
  statusCode: number | null;
  answeredAt: string | null;
  failingSince: string | null;
}

/** SHA-256 of a credentials token, hex: what is stored of the tokens partners call us with. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** An OCPI id (CiString(36)) for one of ours: itself when it fits, else a stable digest of it. */
export function ocpiIdOf(id: string): string {
  return id.length <= 36 && /^[\x21-\x7e]+$/.test(id)
    ? id
    : `h${createHash('sha256').update(id).digest('hex').slice(0, 35)}`;
}

const PARTNER_COLUMNS = `id, name, state, outgoing_token, versions_url, version, endpoints, roles, created_at, registered_at,
  attempts, next_attempt_at, failing_since, last_error`;
const LOCATION_SELECT = `SELECT l.site_id, l.location_id, l.country, l.latitude, l.longitude, l.postal_code, l.created_at,
  l.last_updated, s.name, s.city, s.address, s.time_zone FROM ocpi_locations l JOIN sites s ON s.id = l.site_id`;
const RANGE = `(CAST(? AS TEXT) IS NULL OR l.last_updated >= ?) AND (CAST(? AS TEXT) IS NULL OR l.last_updated < ?)`;

export class OcpiRepo {
  /** Rows are typed where they are read (each method says what its statement returns). */
  private readonly s: Record<string, Stmt<never>>;

  constructor(private readonly db: Db) {
    const p = (name: string, sql: string) => db.prepare<never>(`ocpi ${name}`, sql);
    this.s = {
      partnerInsert: p(
        'partner insert',
        `INSERT INTO ocpi_partners (id, name, state, token_a_hash, incoming_token_hash, versions_url, outgoing_token, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      partner: p('partner', `SELECT ${PARTNER_COLUMNS} FROM ocpi_partners WHERE id = ?`),
      partners: p(
        'partners',
        `SELECT ${PARTNER_COLUMNS} FROM ocpi_partners WHERE state <> 'removed' ORDER BY created_at, id`,
      ),
      byTokenA: p(
        'by token a',
        `SELECT ${PARTNER_COLUMNS} FROM ocpi_partners WHERE token_a_hash = ? AND state = 'invited'`,
      ),
      byToken: p(
        'by token',
        `SELECT ${PARTNER_COLUMNS} FROM ocpi_partners WHERE incoming_token_hash = ? AND state IN ('registering', 'registered', 'suspended')`,
      ),
      register: p(
        'register',
        `UPDATE ocpi_partners SET state = CASE WHEN state = 'suspended' THEN 'suspended' ELSE 'registered' END,
           token_a_hash = NULL, incoming_token_hash = ?, outgoing_token = ?, versions_url = ?, version = ?,
           endpoints = ?, roles = ?, registered_at = COALESCE(registered_at, ?), attempts = 0, next_attempt_at = NULL,
           failing_since = NULL, last_error = NULL WHERE id = ?`,
      ),
      setState: p('state', 'UPDATE ocpi_partners SET state = ? WHERE id = ?'),
      unregister: p(
        'unregister',
        `UPDATE ocpi_partners SET state = 'removed', token_a_hash = NULL, incoming_token_hash = NULL, outgoing_token = NULL
         WHERE id = ?`,
      ),
      dropPushes: p('drop pushes', 'DELETE FROM ocpi_pushes WHERE partner_id = ?'),
      failed: p(
        'partner failed',
        `UPDATE ocpi_partners SET attempts = attempts + 1, next_attempt_at = ?, failing_since = COALESCE(failing_since, ?),
           last_error = ? WHERE id = ?`,
      ),
      reached: p(
        'partner reached',
        'UPDATE ocpi_partners SET attempts = 0, next_attempt_at = NULL, failing_since = NULL, last_error = NULL WHERE id = ?',
      ),
      queueingPartners: p(
        'queueing partners',
        `SELECT id FROM ocpi_partners WHERE state IN ('registered', 'suspended')`,
      ),
      location: p('location', `${LOCATION_SELECT} WHERE l.site_id = ?`),
      locationById: p('location by id', `${LOCATION_SELECT} WHERE l.location_id = ?`),
      locationsPage: p(
        'locations page',
        `${LOCATION_SELECT} WHERE ${RANGE} ORDER BY l.created_at, l.site_id LIMIT ? OFFSET ?`,
      ),
      locationsCount: p('locations count', `SELECT COUNT(*) AS n FROM ocpi_locations l WHERE ${RANGE}`),
      locationUpsert: p(
        'location upsert',
        `INSERT INTO ocpi_locations (site_id, location_id, country, latitude, longitude, postal_code, created_at, last_updated)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (site_id) DO UPDATE SET country = excluded.country, latitude = excluded.latitude,
           longitude = excluded.longitude, postal_code = excluded.postal_code, last_updated = excluded.last_updated`,
      ),
      locationTouch: p(
        'location touch',
        db.dialect === 'sqlite'
          ? 'UPDATE ocpi_locations SET last_updated = MAX(last_updated, ?) WHERE site_id = ?'
          : 'UPDATE ocpi_locations SET last_updated = GREATEST(last_updated, ?) WHERE site_id = ?',
      ),
      evse: p('evse', 'SELECT * FROM ocpi_evses WHERE point_id = ?'),
      evsesOfSite: p('evses of site', 'SELECT * FROM ocpi_evses WHERE site_id = ? ORDER BY point_id'),
      evseInsert: p(
        'evse insert',
        'INSERT INTO ocpi_evses (point_id, uid, site_id, status, layout, last_updated) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      evseUpdate: p(
        'evse update',
        'UPDATE ocpi_evses SET site_id = ?, status = ?, layout = ?, last_updated = ? WHERE point_id = ?',
      ),
      windowsOfSite: p(
        'windows of site',
        `SELECT wp.point_id, w.starts_at, w.ends_at FROM maintenance_window_points wp
         JOIN maintenance_windows w ON w.id = wp.window_id
         JOIN ocpi_evses e ON e.point_id = wp.point_id
         WHERE e.site_id = ? AND w.state IN ('planned', 'running') AND wp.state IN ('planned', 'applied')`,
      ),
      enqueue: p(
        'enqueue',
        `INSERT INTO ocpi_pushes (partner_id, kind, object_id, generation, state, queued_at) VALUES (?, ?, ?, 1, 'pending', ?)
         ON CONFLICT (partner_id, kind, object_id) DO UPDATE SET generation = ocpi_pushes.generation + 1, state = 'pending',
           queued_at = CASE WHEN ocpi_pushes.state = 'pending' THEN ocpi_pushes.queued_at ELSE excluded.queued_at END`,
      ),
      enqueueAllLocations: p(
        'enqueue all locations',
        `INSERT INTO ocpi_pushes (partner_id, kind, object_id, generation, state, queued_at)
         SELECT ?, 'location', site_id, 1, 'pending', ? FROM ocpi_locations WHERE true
         ON CONFLICT (partner_id, kind, object_id) DO UPDATE SET generation = ocpi_pushes.generation + 1, state = 'pending'`,
      ),
      pending: p(
        'pending',
        `SELECT * FROM ocpi_pushes WHERE partner_id = ? AND state = 'pending' ORDER BY queued_at, kind DESC, object_id LIMIT ?`,
      ),
      sent: p('sent', 'UPDATE ocpi_pushes SET sent_at = ? WHERE partner_id = ? AND kind = ? AND object_id = ?'),
      answered: p(
        'answered',
        `UPDATE ocpi_pushes SET state = ?, status_code = ?, message = ?, answered_at = ?
         WHERE partner_id = ? AND kind = ? AND object_id = ? AND generation = ?`,
      ),
      dropPush: p(
        'drop push',
        'DELETE FROM ocpi_pushes WHERE partner_id = ? AND kind = ? AND object_id = ? AND generation = ?',
      ),
      pendingCount: p(
        'pending count',
        `SELECT COUNT(*) AS n FROM ocpi_pushes WHERE partner_id = ? AND state = 'pending'`,
      ),
      counts: p('counts', `SELECT state, COUNT(*) AS n FROM ocpi_pushes WHERE partner_id = ? GROUP BY state`),
      lastTimes: p(
        'last times',
        `SELECT MAX(sent_at) AS last_sent, MAX(CASE WHEN state = 'accepted' THEN answered_at END) AS last_accepted
         FROM ocpi_pushes WHERE partner_id = ?`,
      ),
      lastRefused: p(
        'last refused',
        `SELECT status_code, message, answered_at FROM ocpi_pushes WHERE partner_id = ? AND state = 'refused'
         ORDER BY answered_at DESC LIMIT 1`,
      ),
      pointPushes: p(
        'point pushes',
        `SELECT p.id, p.name, p.failing_since, x.state, x.status_code, x.answered_at,
           l.state AS l_state, l.status_code AS l_status_code, l.answered_at AS l_answered_at
         FROM ocpi_partners p
         LEFT JOIN ocpi_pushes x ON x.partner_id = p.id AND x.kind = 'evse' AND x.object_id = ?
         LEFT JOIN ocpi_pushes l ON l.partner_id = p.id AND l.kind = 'location'
           AND l.object_id = (SELECT site_id FROM ocpi_evses WHERE point_id = ?)
         WHERE p.state = 'registered' ORDER BY p.created_at, p.id`,
      ),
      meta: p('meta', 'SELECT value FROM meta WHERE key = ?'),
      setMeta: p(
        'set meta',
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  tx<T>(name: string, fn: () => T): T {
    return this.db.tx(`ocpi ${name}`, fn);
  }

  // ---- settings kept in the store's meta table, under ocpi.* keys

  setting(key: string): string | null {
    return (this.s.meta.get(`ocpi.${key}`) as { value: string } | undefined)?.value ?? null;
  }

  setSetting(key: string, value: string): void {
    this.s.setMeta.run(`ocpi.${key}`, value);
  }

  // ---- partners

  /** A partner we gave a token A to (they register with us). */
  invite(name: string, tokenA: string, at: string): PartnerRow {
    const id = randomUUID();
    this.s.partnerInsert.run(id, name, 'invited', hashToken(tokenA), null, null, null, at);
    return this.partner(id)!;
  }

  /** A partner we register with (we got their token A): the token they will call us with is known before we ask. */
  startRegistration(name: string, versionsUrl: string, incomingToken: string, at: string): PartnerRow {
    const id = randomUUID();
    this.s.partnerInsert.run(id, name, 'registering', null, hashToken(incomingToken), versionsUrl, null, at);
    return this.partner(id)!;
  }

  partner(id: string): PartnerRow | null {
    return this.s.partner.get(id) ?? null;
  }

  partners(): PartnerRow[] {
    return this.s.partners.all();
  }

  /** The partner a presented token belongs to, and which token it is; null for none. */
  partnerByToken(token: string): { partner: PartnerRow; kind: TokenKind } | null {
    const hash = hashToken(token);
    const c = this.s.byToken.get(hash) as PartnerRow | undefined;
    if (c) return { partner: c, kind: 'C' };
    const a = this.s.byTokenA.get(hash) as PartnerRow | undefined;
    return a ? { partner: a, kind: 'A' } : null;
  }

  /** Completes (or renews, on PUT) a registration: token A is forgotten, the new incoming token takes the old one's place. */
  registered(
    id: string,
    r: {
      incomingToken: string;
      outgoingToken: string;
      versionsUrl: string;
      version: string;
      endpoints: unknown;
      roles: unknown;
      at: string;
    },
  ): void {
    this.s.register.run(
      hashToken(r.incomingToken),
      r.outgoingToken,
      r.versionsUrl,
      r.version,
      JSON.stringify(r.endpoints),
      JSON.stringify(r.roles),
      r.at,
      id,
    );
  }

  setState(id: string, state: PartnerState): boolean {
    return this.s.setState.run(state, id).changes > 0;
  }

  /** Ends a partnership: its tokens stop working and nothing more is sent to it. */
  unregister(id: string): void {
    this.tx('unregister', () => {
      this.s.unregister.run(id);
      this.s.dropPushes.run(id);
    });
  }

  partnerFailed(id: string, nextAttemptAt: string, at: string, error: string): void {
    this.s.failed.run(nextAttemptAt, at, error.slice(0, 300), id);
  }

  partnerReached(id: string): void {
    this.s.reached.run(id);
  }

  // ---- published locations and EVSEs

  /** Sets a site's OCPI details (coordinates, country); the site is published from then on. */
  setSiteLocation(
    siteId: string,
    d: { country: string; latitude: string; longitude: string; postalCode: string | null },
    at: string,
  ): void {
    this.s.locationUpsert.run(siteId, ocpiIdOf(siteId), d.country, d.latitude, d.longitude, d.postalCode, at, at);
  }

  location(siteId: string): LocationRow | null {
    return this.s.location.get(siteId) ?? null;
  }

  locationById(locationId: string): LocationRow | null {
    return this.s.locationById.get(locationId) ?? null;
  }

  /** Published locations, oldest first (stable pages), with last_updated in [from, to). */
  locationsPage(
    from: string | null,
    to: string | null,
    offset: number,
    limit: number,
  ): { rows: LocationRow[]; total: number } {
    const range = [from, from, to, to];
    return this.tx('locations page', () => ({
      rows: this.s.locationsPage.all(...range, limit, offset),
      total: (this.s.locationsCount.get(...range) as { n: number } | undefined)?.n ?? 0,
    }));
  }

  touchLocation(siteId: string, at: string): void {
    this.s.locationTouch.run(at, siteId);
  }

  evse(pointId: string): EvseRow | null {
    return this.s.evse.get(pointId) ?? null;
  }

  evsesOfSite(siteId: string): EvseRow[] {
    return this.s.evsesOfSite.all(siteId);
  }

  insertEvse(r: EvseRow): void {
    this.s.evseInsert.run(r.point_id, r.uid, r.site_id, r.status, r.layout, r.last_updated);
  }

  updateEvse(r: EvseRow): void {
    this.s.evseUpdate.run(r.site_id, r.status, r.layout, r.last_updated, r.point_id);
  }

  /** Planned and running maintenance windows of a site's points, per point. */
  windowsOfSite(siteId: string): Map<string, { startsAt: string; endsAt: string | null }[]> {
    const out = new Map<string, { startsAt: string; endsAt: string | null }[]>();
    for (const r of this.s.windowsOfSite.all(siteId) as {
      point_id: string;
      starts_at: string;
      ends_at: string | null;
    }[]) {
      const list = out.get(r.point_id) ?? [];
      list.push({ startsAt: r.starts_at, endsAt: r.ends_at });
      out.set(r.point_id, list);
    }
    return out;
  }

  // ---- push queue

  /** Partners that get pushes queued: registered ones, and suspended ones (they get the newest state on resume). */
  queueingPartnerIds(): string[] {
    return this.s.queueingPartners.all().map((r: { id: string }) => r.id);
  }

  enqueue(partnerId: string, kind: PushKind, objectId: string, at: string): void {
    this.s.enqueue.run(partnerId, kind, objectId, at);
  }

  /** A partner that just registered gets every published location with a PUT. */
  enqueueAllLocations(partnerId: string, at: string): void {
    this.s.enqueueAllLocations.run(partnerId, at);
  }

  pending(partnerId: string, limit: number): PushRow[] {
    return this.s.pending.all(partnerId, limit);
  }

  pendingCount(partnerId: string): number {
    return (this.s.pendingCount.get(partnerId) as { n: number } | undefined)?.n ?? 0;
  }

  markSent(p: PushRow, at: string): void {
    this.s.sent.run(at, p.partner_id, p.kind, p.object_id);
  }

  /** Records the partner's answer, unless a newer change was queued meanwhile (that one is still to be sent). */
  answered(
    p: PushRow,
    state: Exclude<PushState, 'pending'>,
    statusCode: number | null,
    message: string | null,
    at: string,
  ): void {
    this.s.answered.run(
      state,
      statusCode,
      message?.slice(0, 300) ?? null,
      at,
      p.partner_id,
      p.kind,
      p.object_id,
      p.generation,
    );
  }

  /** Forgets a push that has nothing to send (its site is no longer published). */
  drop(p: PushRow): void {
    this.s.dropPush.run(p.partner_id, p.kind, p.object_id, p.generation);
  }

  counts(partnerId: string): Record<PushState, number> {
    const out: Record<PushState, number> = { pending: 0, accepted: 0, refused: 0 };
    for (const r of this.s.counts.all(partnerId) as { state: PushState; n: number }[]) out[r.state] = r.n;
    return out;
  }

  /** When anything was last sent to a partner and last accepted by it, and its latest refusal. */
  lastDelivery(partnerId: string): {
    lastSent: string | null;
    lastAccepted: string | null;
    lastRefused: { statusCode: number | null; message: string | null; at: string | null } | null;
  } {
    const t = this.s.lastTimes.get(partnerId) as { last_sent: string | null; last_accepted: string | null } | undefined;
    const r = this.s.lastRefused.get(partnerId) as
      { status_code: number | null; message: string | null; answered_at: string | null } | undefined;
    return {
      lastSent: t?.last_sent ?? null,
      lastAccepted: t?.last_accepted ?? null,
      lastRefused: r ? { statusCode: r.status_code, message: r.message, at: r.answered_at } : null,
    };
  }

  /** Per registered partner: where the point's latest status stands. A location PUT carries every EVSE's status, so
   * the point's EVSE PATCH and its site's location PUT both count: one still pending makes it pending, else the one
   * answered last says. */
  pointDelivery(pointId: string): PointDelivery[] {
    type Push = { state: PushState | null; status_code: number | null; answered_at: string | null };
    type Row = Push & {
      id: string;
      name: string;
      failing_since: string | null;
      l_state: PushState | null;
      l_status_code: number | null;
      l_answered_at: string | null;
    };
    const latest = (e: Push, l: Push): Push => {
      if (!l.state) return e;
      if (!e.state || l.state === 'pending') return l;
      if (e.state === 'pending') return e;
      return (l.answered_at ?? '') > (e.answered_at ?? '') ? l : e;
    };
    return this.s.pointPushes.all(pointId, pointId).map((r: Row) => {
      const push = latest(r, { state: r.l_state, status_code: r.l_status_code, answered_at: r.l_answered_at });
      return {
        partnerId: r.id,
        partnerName: r.name,
        state: push.state ?? 'notQueued',
        statusCode: push.status_code ?? null,
        answeredAt: push.answered_at ?? null,
        failingSince: r.failing_since ?? null,
      };
    });
  }
}
