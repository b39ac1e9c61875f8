// A backend started as its own process (`tsx backend/cli.ts`), so a test can kill it with SIGKILL as a machine
// would die: no stop code runs, its sockets and its PostgreSQL connections just end.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OCPP_PATH } from '../../backend/ocpp/gateway.js';
import { printedUrl } from './printedUrl.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BackendProcess {
  url: string;
  ocppUrl: string;
  /** The backend's own pid (tsx runs it in a child of the spawned process). */
  pid: number;
  output(): string;
  /** Resolves with the exit code when the process ends on its own or is stopped. */
  exited: Promise<number | null>;
  /** SIGKILL: nothing of the backend's own stop code runs. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

export async function startBackendProcess(args: string[], timeoutMs = 60_000): Promise<BackendProcess> {
  const child: ChildProcess = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['backend/cli.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const output = () => out;
  let url: string;
  let pid: number;
  try {
    url = await printedUrl(child, output, /listening on (http:\/\/\S+)/, timeoutMs);
    pid = Number(await printedUrl(child, output, /, pid (\d+)/, timeoutMs));
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const signal = async (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
    if (sig === 'SIGKILL') child.kill('SIGKILL');
    await exited;
  };
  return {
    url,
    ocppUrl: `${url.replace(/^http/, 'ws')}${OCPP_PATH}`,
    pid,
    output,
    exited,
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  };
}
