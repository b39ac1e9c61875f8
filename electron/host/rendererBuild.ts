// Finds the built renderer, building it first when a fresh clone has none yet.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const rendererDir = path.join(projectRoot, 'dist', 'renderer');

export async function ensureRendererBuilt(log: (line: string) => void): Promise<string> {
  if (existsSync(path.join(rendererDir, 'index.html'))) return rendererDir;
  log('Building the renderer (first start after install)…');
  const { build } = await import('vite');
  await build({ configFile: path.join(projectRoot, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
  return rendererDir;
}
