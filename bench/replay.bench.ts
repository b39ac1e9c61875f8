// Issue 5: 10,000 edits queued offline, then the line comes back: how long until every one is answered by the
// backend, and how many were lost or applied twice (must be 0).
import { performance } from 'node:perf_hooks';
import { ConsoleCore } from '../electron/core/consoleCore.js';
import { confSettings } from '../electron/core/settings.js';
import { startTcpProxy } from '../tests/support/tcpProxy.js';
import { tempDir } from '../tests/support/tempDir.js';
import { waitFor } from '../tests/support/waitFor.js';
import { BENCH_USER, backendWithNetwork } from './backendWithNetwork.js';
import { figure, type Figure } from './figures.js';
import { bareDurableInsertMs } from './fsyncBaseline.js';

/** Of the edits, these many are saved one at a time, each awaited, after the rest are saved at once. */
const ONE_AT_A_TIME = 200;

export async function replayBench(edits = 10_000): Promise<Figure[]> {
  const backend = await backendWithNetwork({ sites: 400, points: edits });
  const line = await startTcpProxy(backend.port);
  const dataDir = tempDir('bench-console').path;
  const core = new ConsoleCore({
    dataDir,
    backendUrl: line.url,
    autoSignIn: BENCH_USER,
    settings: confSettings(dataDir),
  });
  await core.start();
  await waitFor('first sync', () => core.connection().state === 'live' && core.cache.pointCount() >= edits, 120_000);
  await line.cut();
  await waitFor('offline', () => core.connection().state !== 'live');

  const network = core.getNetwork().points;
  const points = network.slice(0, edits - ONE_AT_A_TIME);
  // The disk's own cost, measured just before and just after the saves (the disk's speed drifts within a run).
  const bareBefore = bareDurableInsertMs();
  // The edits are made at once, as a queue replayed or several pages' edits in one turn are: they share one sync.
  const queueStart = performance.now();
  const saved = await Promise.all(
    points.map((p, i) =>
      core.setStatus({
        pointIds: [p.id],
        edit: { status: i % 2 ? 'Maintenance' : 'OutOfService', reason: 'Bench', note: null, until: null },
      }),
    ),
  );
  const queueMs = performance.now() - queueStart;
  const mutationIds = saved.map((s) => s.mutationId);
  // And one at a time, each awaited before the next (a person's edits): nothing to share a sync with.
  const oneByOne = network.slice(edits - ONE_AT_A_TIME, edits);
  const oneStart = performance.now();
  for (const [i, p] of oneByOne.entries())
    mutationIds.push(
      (
        await core.setStatus({
          pointIds: [p.id],
          edit: {
            status: i % 2 ? 'OutOfService' : 'Maintenance',
            reason: 'Bench, one at a time',
            note: null,
            until: null,
          },
        })
      ).mutationId,
    );
  const oneMs = (performance.now() - oneStart) / oneByOne.length;
  const bareMs = (bareBefore + bareDurableInsertMs()) / 2;
  const saveMs = queueMs / points.length;
  process.stderr.write(
    `  replay: offline save ${saveMs.toFixed(3)} ms per edit (${points.length} made at once), ${oneMs.toFixed(2)} ms (${oneByOne.length} one at a time); a bare fsync'd SQLite insert on the same disk ${bareMs.toFixed(2)} ms\n`,
  );

  const replayStart = performance.now();
  await line.restore();
  await waitFor(
    'the outbox to drain',
    () => core.connection().state === 'live' && core.connection().queued === 0,
    600_000,
    20,
  );
  const replayMs = performance.now() - replayStart;

  let lost = 0;
  let duplicated = 0;
  for (const id of mutationIds) if (!backend.store.mutations.previous(id)) lost++;
  for (const p of [...points, ...oneByOne]) {
    const applied = backend.store.audit.history(p.id, 10).filter((e) => e.fact === 'operator').length;
    if (applied === 0) lost++;
    if (applied > 1) duplicated++;
  }

  await core.close();
  await line.close();
  await backend.stop();
  return [
    figure('offline edit saved durably (mean per edit)', saveMs, 'ms', '<=', 20),
    figure("offline edit saved durably, as a ratio to a bare fsync'd SQLite insert", saveMs / bareMs, 'x', '<=', 1.2),
    figure('offline edit saved durably, one at a time (mean per edit)', oneMs, 'ms', '<=', 20),
    figure(`replay of ${edits} queued edits until all answered`, replayMs, 'ms', '<=', 60_000),
    figure('queued edits lost', lost, 'count', '==', 0),
    figure('queued edits applied twice', duplicated, 'count', '==', 0),
  ];
}
