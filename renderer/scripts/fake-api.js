// A fake window.voltboard for screenshots of states the demo cannot easily reach (see mock-shots.ts).
(function fakeApi(opts) {
  const now = Date.now();
  const iso = (ms) => new Date(ms).toISOString();
  const sites = Array.from({ length: Math.max(3, Math.ceil(opts.n / 40)) }, (_, i) => ({
    id: `site-${i}`,
    name:
      ['Harbour Car Park', 'Airport West P3', 'Riverside Retail <b>Park</b>', 'Depot North'][i % 4] +
      (i >= 4 ? ` ${i}` : ''),
    city: ['Leeds', 'Bristol', 'York', 'Hull'][i % 4],
    address: 'x',
  }));
  const rep = ['Available', 'Occupied', 'Available', 'Reserved', 'Available', 'Occupied', 'Faulted', 'Unavailable'];
  const points = [];
  const silent = [];
  for (let i = 0; i < opts.n; i++) {
    const siteIdx = Math.floor(i / 40) % sites.length;
    const p = {
      id: `p-${i}`,
      siteId: sites[opts.n <= 40 ? i % 3 : siteIdx].id,
      stationId: `VB-${String(Math.floor(i / 2)).padStart(3, '0')}`,
      evseId: (i % 2) + 1,
      label: `Bay ${(i % 40) + 1}`,
      protocol: i % 3 ? 'ocpp1.6' : 'ocpp2.0.1',
      connectors: [{ id: 1, type: 'CCS2', maxKw: 150 }],
      stationConnected: true,
      stationLastSeen: iso(now - 20_000),
      reported: {
        status: rep[i % rep.length],
        errorCode: rep[i % rep.length] === 'Faulted' ? 'GroundFailure' : null,
        info: null,
        at: iso(now - (i % 50) * 60_000),
      },
      operator: { status: 'Available', reason: null, note: null, until: null, by: null, at: null, version: 0 },
      delivery: { state: 'confirmed', detail: null, at: null },
      version: 1,
      seq: i + 1,
      pending: null,
    };
    const k = i % 23;
    const op = (status, reason, by = 'user:maria', until = null) =>
      (p.operator = { status, reason, note: null, until, by, at: iso(now - 25 * 60_000), version: 2 });
    if (k === 1) {
      op('Maintenance', 'Firmware update', 'user:maria', iso(now + 3 * 3600_000));
      p.delivery = { state: 'confirmed', detail: 'station reported Unavailable', at: iso(now - 24 * 60_000) };
      p.reported.status = 'Unavailable';
    } else if (k === 3) {
      op('OutOfService', 'Bay blocked');
      p.delivery = { state: 'scheduled', detail: 'a charging session is running', at: iso(now - 60_000) };
      p.reported.status = 'Occupied';
    } else if (k === 5) {
      op('Faulted', 'Cable damaged');
      p.delivery = { state: 'rejected', detail: 'station answered Rejected', at: iso(now - 120_000) };
    } else if (k === 7) {
      p.stationConnected = false;
      p.stationLastSeen = iso(now - 47 * 60_000);
    } else if (k === 9) {
      op('OutOfService', 'Power outage at the site');
      p.stationConnected = false;
      p.stationLastSeen = iso(now - 3 * 3600_000);
      p.delivery = { state: 'stationOffline', detail: null, at: iso(now - 600_000) };
    } else if (k === 11) {
      p.pending = {
        mutationId: 'm-queued-1',
        edit: { status: 'Maintenance', reason: 'Inspection', note: null, until: null },
        state: 'queued',
        createdAt: iso(now - 90_000),
        error: null,
        theirs: null,
      };
    } else if (k === 13) {
      op('OutOfService', 'Vandalism', 'user:tom');
      p.pending = {
        mutationId: 'm-conflict-1',
        edit: { status: 'Available', reason: 'Repaired', note: null, until: null },
        state: 'conflict',
        createdAt: iso(now - 300_000),
        error: null,
        theirs: {
          status: 'OutOfService',
          reason: 'Vandalism',
          note: null,
          until: null,
          by: 'user:tom',
          at: iso(now - 200_000),
          version: 3,
        },
      };
    } else if (k === 15) {
      // Silent: the backend says so (getLiveness below); the console never infers it from this time.
      p.stationLastSeen = iso(now - 40 * 60_000);
      silent.push({
        stationId: p.stationId,
        state: 'silent',
        lastHeardAt: p.stationLastSeen,
        since: iso(now - 39 * 60_000),
      });
    } else if (k === 17) {
      op('Maintenance', 'Scheduled maintenance');
      p.delivery = { state: 'sentToStation', detail: 'ChangeAvailability Inoperative', at: iso(now - 3000) };
    }
    points.push(p);
  }
  const byId = new Map(points.map((p) => [p.id, p]));
  const listeners = {};
  const conn =
    opts.state === 'offline'
      ? {
          state: 'offline',
          backendUrl: 'https://backend.example',
          demo: false,
          lastSyncAt: iso(now - 7 * 60_000 - 12_000),
          queued: 2,
          conflicts: 1,
          session: { username: 'maria', role: 'supervisor', expiresAt: iso(now + 3600_000) },
          error: 'backend unreachable',
        }
      : {
          state: 'live',
          backendUrl: null,
          demo: true,
          lastSyncAt: iso(now - 1000),
          queued: 1,
          conflicts: 1,
          session: { username: 'maria', role: 'supervisor', expiresAt: iso(now + 3600_000) },
          error: null,
        };
  window.__emit = (name, payload) => listeners[name]?.forEach((l) => l(payload));
  window.__byId = byId;
  window.voltboard = {
    async call(method, params) {
      switch (method) {
        case 'getNetwork':
          return { sites, points, seq: points.length, lastSyncAt: conn.lastSyncAt };
        case 'getConnection':
          return conn;
        case 'getLiveness':
          return { full: true, stations: silent };
        case 'getSettings':
          return { backendUrl: null, username: 'maria', theme: 'dark' };
        case 'updateSettings':
          return { backendUrl: null, username: 'maria', theme: params.theme ?? 'dark' };
        case 'listOutbox':
          return {
            items: [
              {
                mutationId: 'm-queued-1',
                edit: { status: 'Maintenance', reason: 'Inspection', note: null, until: null },
                pointIds: ['p-11'],
                state: 'queued',
                createdAt: iso(now - 90_000),
                attempts: 0,
                error: null,
              },
              {
                mutationId: 'm-bulk-2',
                edit: { status: 'OutOfService', reason: 'Site closed', note: null, until: null },
                pointIds: ['p-1', 'p-2', 'p-3'],
                state: 'sending',
                createdAt: iso(now - 30_000),
                attempts: 2,
                error: null,
              },
            ],
          };
        case 'getHistory':
          return {
            entries: [
              {
                seq: 9,
                pointId: params.pointId,
                at: iso(now - 25 * 60_000),
                actor: 'user:maria',
                fact: 'operator',
                from: 'Available',
                to: 'Maintenance',
                reason: 'Firmware update',
                note: null,
                mutationId: 'm-1',
              },
              {
                seq: 10,
                pointId: params.pointId,
                at: iso(now - 25 * 60_000 + 800),
                actor: 'system',
                fact: 'delivery',
                from: 'saved',
                to: 'sentToStation',
                reason: null,
                note: null,
                mutationId: 'm-1',
              },
              {
                seq: 11,
                pointId: params.pointId,
                at: iso(now - 24 * 60_000),
                actor: 'station:VB-000',
                fact: 'reported',
                from: 'Available',
                to: 'Unavailable',
                reason: null,
                note: null,
                mutationId: null,
              },
            ],
          };
        case 'setStatus':
          return { mutationId: 'm-new', queued: params.pointIds.length };
        case 'resolveConflict':
          return { mutationId: null };
        case 'discardQueued':
          return { discarded: 1 };
        default:
          throw new Error(`mock: ${method}`);
      }
    },
    on(name, l) {
      (listeners[name] ??= new Set()).add(l);
      return () => listeners[name].delete(l);
    },
  };
})(window.__mockOpts);
