// Bundles the Electron main process (ESM) and the sandboxed preload (CommonJS, one file: a sandboxed preload
// cannot require our modules) into dist-electron/. Packages stay external: electron-builder ships node_modules.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };
await build({ ...common, entryPoints: ['electron/shell/main.ts'], outfile: 'dist-electron/main.mjs', format: 'esm', packages: 'external' });
await build({ ...common, entryPoints: ['electron/shell/preload.ts'], outfile: 'dist-electron/preload.cjs', format: 'cjs', external: ['electron'] });
console.log('Built dist-electron/main.mjs and dist-electron/preload.cjs');
