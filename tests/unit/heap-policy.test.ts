// The console core's heap policy (node/heapPolicy.ts), in real Node processes: a process holding live records that
// it keeps replacing grows its heap far less over the live data with the policy than with V8's default.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const churn = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'support', 'heapChurn.ts');

async function peakHeapMb(mode: 'limited' | 'default'): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', churn, mode], { timeout: 30_000 });
  return (JSON.parse(stdout) as { peakHeapMb: number }).peakHeapMb;
}

test('with the heap policy a churning process stays much closer to its live data than with the default', async () => {
  // Two runs each, the closest pair compared: V8's heuristics vary a little from run to run.
  const unlimited = Math.min(await peakHeapMb('default'), await peakHeapMb('default'));
  const limited = Math.max(await peakHeapMb('limited'), await peakHeapMb('limited'));
  assert.ok(limited < unlimited * 0.6, `peak heap with the policy ${limited.toFixed(0)} MB, without ${unlimited.toFixed(0)} MB`);
});
