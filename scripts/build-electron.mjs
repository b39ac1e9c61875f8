// Bundles the Electron main process (ESM) and the sandboxed preload (CommonJS, one file: a sandboxed preload
// cannot require our modules) into dist-electron/. Packages stay external: electron-builder ships node_modules.
// The main process is split at its dynamic imports: the embedded demo's backend (electron/demo/embeddedDemo.ts
// imports backend/server.ts dynamically) is a chunk of its own, loaded only when no backend is configured, so
// main.mjs carries no backend code. Chunks sit beside main.mjs, so paths taken from import.meta.url stay the same.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };
await build({
  ...common,
  entryPoints: { main: 'electron/shell/main.ts' },
  outdir: 'dist-electron',
  format: 'esm',
  splitting: true,
  chunkNames: '[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  packages: 'external',
});
await build({
  ...common,
  entryPoints: ['electron/shell/preload.ts'],
  outfile: 'dist-electron/preload.cjs',
  format: 'cjs',
  external: ['electron'],
});
console.log('Built dist-electron/main.mjs (the demo backend in a chunk of its own) and dist-electron/preload.cjs');
