// Builds better-sqlite3 against the installed Electron's headers into native/electron-<abi>/, beside the
// Node build that npm made in node_modules. The core picks the build that matches the runtime
// (node/sqlite.ts: nativeBindingPath). @electron/rebuild would need Node >= 22.12; node-gyp works on Node 20.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const moduleDir = path.dirname(require.resolve('better-sqlite3/package.json'));
const work = path.resolve('native', 'build-electron');
mkdirSync(work, { recursive: true });
const gyp = require.resolve('node-gyp/bin/node-gyp.js');
const args = [
  gyp,
  'rebuild',
  '--release',
  `--target=${electronVersion}`,
  '--dist-url=https://electronjs.org/headers',
  `--directory=${moduleDir}`,
];
const result = spawnSync(process.execPath, args, {
  stdio: 'inherit',
  env: { ...process.env, npm_config_runtime: 'electron' },
});
if (result.status !== 0) process.exit(result.status ?? 1);
// Electron's ABI number: ask Electron itself.
const electron = require('electron');
const abi = spawnSync(electron, ['-e', 'console.log(process.versions.modules)'], {
  env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  encoding: 'utf8',
}).stdout.trim();
const target = path.resolve('native', `electron-${abi}`);
mkdirSync(target, { recursive: true });
copyFileSync(path.join(moduleDir, 'build', 'Release', 'better_sqlite3.node'), path.join(target, 'better_sqlite3.node'));
// Put the Node build back for the tests and the web host.
spawnSync(process.execPath, [gyp, 'rebuild', '--release', `--directory=${moduleDir}`], { stdio: 'inherit' });
console.log(`Electron ${electronVersion} build of better-sqlite3 in ${target}`);
