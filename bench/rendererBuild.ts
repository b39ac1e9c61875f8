// The benchmarks measure the renderer as the sources are now, built into a folder of their own (dist/renderer is
// shared with the tests and other work). VB_BENCH_NO_MINIFY=1 keeps names readable in CPU profiles.
import path from 'node:path';
import { projectRoot } from '../electron/host/rendererBuild.js';
import { tempDir } from '../tests/support/tempDir.js';

export async function buildRenderer(log: (line: string) => void): Promise<string> {
  const outDir = tempDir('bench-renderer').path;
  const started = performance.now();
  const { build } = await import('vite');
  await build({
    configFile: path.join(projectRoot, 'renderer', 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, minify: process.env.VB_BENCH_NO_MINIFY ? false : undefined },
  });
  log(`renderer built into ${outDir} (${Math.round(performance.now() - started)} ms)`);
  return outDir;
}
