// The console core's heap policy (node/heapPolicy.ts), in a real Node process: a process holding live records that
// it keeps replacing sets each new heap limit at 1.5× its live data (V8's own factor goes up to 4×), and its heap
// stays near that. V8 prints each limit it sets with --trace-gc-verbose, so the factor is read, not guessed from
// timing; without the policy this machine's V8 picks 4.0 (other machines may pick less, hence the factor check).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const churn = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'support', 'heapChurn.ts');
const limitLine = /\[HeapController\] Limit: old size: (\d+) KB, new limit: (\d+) KB \(([\d.]+)\)/g;

test('with the heap policy every heap limit V8 sets is 1.5× the live data, and the heap stays near it', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--trace-gc-verbose', '--import', 'tsx', churn, 'limited'],
    {
      timeout: 30_000,
      maxBuffer: 64 * 2 ** 20,
    },
  );
  const limits = [...stdout.matchAll(limitLine)].map((m) => ({ liveKb: Number(m[1]), factor: Number(m[3]) }));
  // V8's trace lines and the child's own output may interleave on the pipe: find the result by its shape.
  const { peakHeapMb } = JSON.parse(stdout.split('\n').find((l) => l.startsWith('{"peakHeapMb"'))!) as {
    peakHeapMb: number;
  };

  // A collection while the child starts (before it sets the policy) may still use V8's own factor: from the first
  // limit at 1.5 on, every one must be.
  const fromPolicy = limits.slice(
    Math.max(
      0,
      limits.findIndex((l) => l.factor === 1.5),
    ),
  );
  assert.ok(
    fromPolicy.length >= 2,
    `expected at least two full collections under the policy, saw ${limits.map((l) => l.factor).join(', ')}`,
  );
  assert.deepEqual([...new Set(fromPolicy.map((l) => l.factor))], [1.5], 'growth factors V8 applied');
  const liveMb = Math.max(...limits.map((l) => l.liveKb)) / 1024;
  assert.ok(
    peakHeapMb < liveMb * 2.5,
    `peak heap ${peakHeapMb.toFixed(0)} MB for ${liveMb.toFixed(0)} MB of live data`,
  );
});
