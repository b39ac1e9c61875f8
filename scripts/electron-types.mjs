// Electron's own type declarations (electron.d.ts) for type-checking electron/shell on every machine, also where
// the optional `electron` package is missing because its binary could not be downloaded. Electron publishes no
// types-only package, so this takes electron.d.ts from the `electron` package of exactly the version package-lock.json
// pins: from node_modules/electron where npm installed it, else from `npm pack electron@<that version>` (the package
// tarball only, ~190 kB: no install script runs, no binary is downloaded), checked against the lock's integrity.
// Writes node_modules/.cache/voltboard/electron.d.ts (named by tsconfig.shell.json); prints where it came from.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.join(root, 'node_modules', '.cache', 'voltboard');
const out = path.join(outDir, 'electron.d.ts');
const stamp = path.join(outDir, 'electron.d.ts.version');

const locked = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')).packages?.[
  'node_modules/electron'
];
if (!locked?.version || !locked.integrity) {
  console.error('electron types: package-lock.json pins no electron version');
  process.exit(1);
}
const { version, integrity } = locked;
mkdirSync(outDir, { recursive: true });

const installed = path.join(root, 'node_modules', 'electron');
if (existsSync(path.join(installed, 'electron.d.ts'))) {
  const installedVersion = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')).version;
  copyFileSync(path.join(installed, 'electron.d.ts'), out);
  writeFileSync(stamp, `${installedVersion}\n`);
  console.log(`electron types: electron@${installedVersion} from node_modules/electron`);
} else if (existsSync(out) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === version) {
  console.log(`electron types: electron@${version} (cached from the registry's package)`);
} else {
  const work = mkdtempSync(path.join(os.tmpdir(), 'vb-electron-types-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const [packed] = JSON.parse(
      execFileSync(npm, ['pack', `electron@${version}`, '--json', '--pack-destination', work], {
        cwd: work,
        encoding: 'utf8',
        shell: process.platform === 'win32',
      }),
    );
    const tarball = path.join(work, packed.filename);
    const [algorithm, expected] = integrity.split(/-(.*)/s);
    const actual = createHash(algorithm).update(readFileSync(tarball)).digest('base64');
    if (actual !== expected)
      throw new Error(`electron@${version} from the registry does not match package-lock.json's integrity`);
    execFileSync('tar', ['-xzf', tarball, '-C', work, 'package/electron.d.ts']);
    copyFileSync(path.join(work, 'package', 'electron.d.ts'), out);
    writeFileSync(stamp, `${version}\n`);
    console.log(
      `electron types: electron@${version} from the registry's package (integrity checked against package-lock.json)`,
    );
  } catch (error) {
    console.error(`electron types: could not get electron.d.ts for electron@${version}: ${error.message}`);
    process.exit(1);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
