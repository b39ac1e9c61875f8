// What synchronous=FULL costs the backend's store against NORMAL (issue 15, item 11): one small transaction per
// commit, as a one-point edit is, on a WAL database in a temp folder, N commits each way, in turn. A diagnostic
// (not a figure): `npx tsx bench/syncModeProbe.ts [commits]`.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { tempDir } from '../tests/support/tempDir.js';

const commits = Number(process.argv[2] ?? 500);
const dir = tempDir('sync-probe');
try {
  for (const round of [1, 2]) {
    for (const mode of ['NORMAL', 'FULL'] as const) {
      const db = new Database(join(dir.path, `${mode}-${round}.sqlite`));
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${mode}`);
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
      const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
      const one = db.transaction((v: string) => insert.run(v));
      const times: number[] = [];
      for (let i = 0; i < commits; i++) {
        const t0 = performance.now();
        one(`edit ${i} `.repeat(20));
        times.push(performance.now() - t0);
      }
      db.close();
      times.sort((a, b) => a - b);
      const mean = times.reduce((a, b) => a + b, 0) / times.length;
      const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
      console.log(
        JSON.stringify({
          round,
          synchronous: mode,
          commits,
          meanMs: +mean.toFixed(3),
          p50Ms: +p(0.5).toFixed(3),
          p99Ms: +p(0.99).toFixed(3),
        }),
      );
    }
  }
} finally {
  dir.remove();
}
