// The benchmarks measure the renderer as the sources are now: build dist/renderer when any source is newer.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { projectRoot, rendererDir } from '../electron/host/rendererBuild.js';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

export async function buildRenderer(log: (line: string) => void): Promise<void> {
  const index = path.join(rendererDir, 'index.html');
  const sources = Math.max(
    newestMtime(path.join(projectRoot, 'renderer', 'src')),
    newestMtime(path.join(projectRoot, 'common')),
    statSync(path.join(projectRoot, 'renderer', 'index.html')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  log('building the renderer (sources changed since the last build)…');
  const { build } = await import('vite');
  await build({ configFile: path.join(projectRoot, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}
