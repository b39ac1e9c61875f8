// Two instances recording one station's connection at the same moment (docs/cluster.md): the one that reads the
// station's row must see what the other is committing, not the row from before. CI's chaos test once ended with a
// station connected to one instance and shown offline everywhere else: the leader's sweep of a dead instance read the
// station as still held by the dead one while its new instance was recording it, and wrote over it.
// The other instance is a second process holding the row in an open transaction: this store's calls wait on it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import { Store } from '../../backend/store/index.js';
import { seedStore, smallNetwork } from '../support/backendHarness.js';
import { tempDir } from '../support/tempDir.js';
import { disposeStoreOf, onPostgres, storeLocationFor } from '../support/testStore.js';

const skip = onPostgres ? false : 'needs PostgreSQL: runs in the step "node (backend on PostgreSQL)"';
const STATION = 'ST16';
const DEAD = 7;
const LEADER = 1;
const NEW_HOLDER = 2;

/**
 * Runs sql in another process and holds its locks uncommitted for holdMs, then runs thenSql (if any) and commits;
 * resolves once the first statement has run.
 */
async function holdInAnotherInstance(
  url: string,
  sql: string,
  holdMs: number,
  thenSql = 'SELECT 1',
): Promise<{ committed: Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const C = require('pg-native'); const c = new C(); c.connectSync(process.argv[1]);
       c.querySync('BEGIN'); c.querySync(process.argv[2]); process.stdout.write('held\\n');
       setTimeout(() => { c.querySync(process.argv[4]); c.querySync('COMMIT'); c.end(); }, Number(process.argv[3]));`,
      url,
      sql,
      String(holdMs),
      thenSql,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
    void exited.then(() => reject(new Error('the other instance ended before holding the row')));
  });
  return {
    committed: exited.then(([code]) => {
      if (code !== 0) throw new Error(`the other instance exited with ${code}`);
    }),
  };
}

describe('one station recorded by two instances at once', { skip }, () => {
  const tmp = tempDir('connection-race');
  const stores: Store[] = [];
  after(() => {
    for (const s of stores) s.close();
    disposeStoreOf(tmp.path);
    tmp.remove();
  });

  async function instance(holder: number): Promise<{ store: Store; url: string }> {
    if (stores.length === 0) await seedStore(tmp.path, smallNetwork());
    const location = storeLocationFor(tmp.path);
    const store = new Store({ ...location, log: () => undefined });
    store.stations.holder = holder;
    stores.push(store);
    return { store, url: 'postgresUrl' in location ? location.postgresUrl : '' };
  }

  const at = () => new Date().toISOString();

  it("a dead instance's sweep waits for the station's new connection and leaves it connected there", async () => {
    const { store: dead, url } = await instance(DEAD);
    dead.points.setConnection(STATION, true, at(), `station:${STATION}`);
    const { store: leader } = await instance(LEADER);
    const other = await holdInAnotherInstance(
      url,
      `UPDATE stations SET connected = 1, held_by = ${NEW_HOLDER} WHERE id = '${STATION}'`,
      400,
    );
    const changed = leader.points.setConnection(STATION, false, at(), 'system', DEAD);
    await other.committed;
    assert.equal(changed, false, 'the station is no longer recorded on the dead instance');
    const st = leader.stations.get(STATION)!;
    assert.deepEqual({ connected: st.connected, held_by: Number(st.held_by) }, { connected: 1, held_by: NEW_HOLDER });
  });

  it('a new connection that waits for a disconnect being recorded is a change every console sees', async () => {
    const { store: dead, url } = await instance(DEAD);
    dead.points.setConnection(STATION, true, at(), `station:${STATION}`);
    const { store: connecting } = await instance(NEW_HOLDER);
    const before = Math.max(...connecting.points.byStation(STATION).map((p) => p.seq));
    const other = await holdInAnotherInstance(
      url,
      `UPDATE stations SET connected = 0, held_by = NULL WHERE id = '${STATION}'`,
      400,
    );
    const changed = connecting.points.setConnection(STATION, true, at(), `station:${STATION}`);
    await other.committed;
    assert.equal(changed, true, 'it was disconnected when this connection was recorded');
    const points = connecting.points.byStation(STATION);
    assert.ok(
      points.every((p) => p.seq > before && p.stationConnected),
      JSON.stringify(points.map((p) => [p.seq, p.stationConnected])),
    );
    const st = connecting.stations.get(STATION)!;
    assert.deepEqual({ connected: st.connected, held_by: Number(st.held_by) }, { connected: 1, held_by: NEW_HOLDER });
  });

  it('a turn holding the seq skips the last-seen time of a station whose connection is being recorded', async () => {
    const { store: leader, url } = await instance(LEADER);
    // The other instance records ST16's connection: its row, then (after a moment) the seq.
    const other = await holdInAnotherInstance(
      url,
      `SELECT id FROM stations WHERE id = '${STATION}' FOR UPDATE`,
      300,
      "SELECT value FROM meta WHERE key = 'seq' FOR UPDATE",
    );
    // This instance's turn has taken the seq (an edit joined it first), then writes the station's last-seen time.
    leader.changes.write('turn', () => {
      leader.changes.lock();
      leader.stations.touch(STATION, at());
    });
    await other.committed; // without the skip: PostgreSQL finds a deadlock and aborts one of the two
  });

  it("a change's delivery marked offline waits for the station's connection being recorded, and is not", async () => {
    const { store: dead, url } = await instance(DEAD);
    dead.points.setConnection(STATION, false, at(), 'system');
    const point = dead.points.byStation(STATION)[0];
    const { store: leader } = await instance(LEADER);
    // The other instance records the station's new connection: its row, then the seq (as PointsRepo.setConnection).
    const other = await holdInAnotherInstance(
      url,
      `UPDATE stations SET connected = 1, held_by = ${NEW_HOLDER} WHERE id = '${STATION}';
       SELECT value FROM meta WHERE key = 'seq' FOR UPDATE`,
      400,
    );
    leader.points.setDelivery([
      {
        pointId: point.id,
        opVersion: point.operator.version,
        state: 'stationOffline',
        detail: 'the station is not connected',
        actor: 'system',
      },
    ]);
    await other.committed;
    assert.notEqual(
      leader.points.get(point.id)!.delivery.state,
      'stationOffline',
      'the station is connected: the change is not parked until its next connection',
    );
  });
});
