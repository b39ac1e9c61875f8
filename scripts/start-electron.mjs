// `npm start`: the desktop app. Without the Electron binary (npm could not download it), say so and point to
// the web host, which runs the same console in a browser tab.
import { spawnSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

let electron;
try {
  electron = createRequire(import.meta.url)('electron');
} catch {
  electron = null;
}
if (typeof electron !== 'string' || !existsSync(electron)) {
  console.error(
    'The Electron binary is not installed on this machine (npm could not download it, so it was skipped).\n' +
      'Run the same console in your browser instead:  npm run web\n' +
      'Or install Electron where downloads work:       npm install electron && npm run native:electron && npm start',
  );
  process.exit(1);
}
for (const script of ['build:renderer', 'build:electron']) {
  const result = spawnSync('npm', ['run', script], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
const child = spawn(electron, ['.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
