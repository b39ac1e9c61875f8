// `npm run web -- --port 5180 --data DIR [--backend URL]`: the console in a browser tab.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { lockDataDir } from '../../node/dataDirLock.js';
import { limitHeapGrowth } from '../../node/heapPolicy.js';
import { watchLauncher } from '../../node/launcher.js';
import { launchCore } from '../core/launch.js';
import { confSettings } from '../core/settings.js';
import { startEmbeddedDemo } from '../demo/embeddedDemo.js';
import { ensureRendererBuilt } from './rendererBuild.js';
import { startWebHost } from './webHost.js';

const HELP = `Voltboard web host: the console in a browser tab, on 127.0.0.1 only.

Usage: npm run web -- [--port 5180] [--data DIR] [--backend URL] [--allow-insecure-backend]

  --port N        port to serve on (default 5180; 0 = any free port)
  --data DIR      the console's data folder: cache, outbox, settings (default ~/.voltboard-web)
  --backend URL   the network backend to use; without it (and none in settings) the demo network runs in-process
  --allow-insecure-backend
                  allow an http:// backend that is not on this machine (by default only https:// is used off
                  loopback: passwords and tokens would otherwise cross the network in the clear)
  --help          this text

It prints the URL to open; the URL carries a secret made at each start, and nothing is served without it.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5180' },
      data: { type: 'string' },
      backend: { type: 'string' },
      'allow-insecure-backend': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number, got "${values.port}"`);
  if (values.backend) new URL(values.backend);
  const dataDir = path.resolve(values.data ?? path.join(os.homedir(), '.voltboard-web'));
  const log = (line: string) => console.log(line);
  const lock = lockDataDir(dataDir);

  limitHeapGrowth();
  const rendererDir = await ensureRendererBuilt(log);
  const settings = confSettings(dataDir);
  const launched = await launchCore({
    dataDir,
    backendUrl: values.backend ?? null,
    settings,
    allowInsecure: values['allow-insecure-backend'] || settings.get().allowInsecureBackend,
    log,
    startDemo: startEmbeddedDemo,
  });
  const host = await startWebHost({ core: launched.core, rendererDir, port, log });
  console.log(`Voltboard console: ${host.url}`);
  console.log(`(data in ${dataDir}; stop with Ctrl+C)`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await host.stop();
    await launched.stop();
    lock.release();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  watchLauncher(() => void stop());
}

main().catch((error: unknown) => {
  console.error(`voltboard web: ${(error as Error).message}`);
  process.exit(1);
});
