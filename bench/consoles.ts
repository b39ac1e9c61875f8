// Starts a console (core + web host) in a child process (bench/consoleProcess.ts) and talks to it over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsoleProcessConfig, ConsoleRequest } from './consoleProcess.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.dirname(here);

let bundled: Promise<string> | null = null;
/**
 * The console process bundled the way the Electron main process is (esbuild, packages external: see
 * scripts/build-electron.mjs) and run by plain Node: a TypeScript loader would add its own thread and memory to
 * the RSS being measured. Inside node_modules so its packages resolve.
 */
function consoleProcessBundle(): Promise<string> {
  bundled ??= (async () => {
    const { build } = await import('esbuild');
    const outfile = path.join(projectRoot, 'node_modules', '.cache', 'voltboard-bench', 'consoleProcess.mjs');
    await build({
      entryPoints: [path.join(here, 'consoleProcess.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      sourcemap: true,
      logLevel: 'warning',
    });
    return outfile;
  })();
  return bundled;
}

type Op = ConsoleRequest extends infer R ? (R extends { op: infer O } ? O : never) : never;
type Args<O extends Op> = Omit<Extract<ConsoleRequest, { op: O }>, 'id' | 'op'>;

export interface ConsoleProcess {
  url: string;
  pid: number;
  /** How long the core took to open its cache (constructor: SQLite open + load every point). */
  cacheLoadedMs: number;
  /** Points in the cache when the web host came up. */
  points: number;
  call<O extends Op>(op: O, args?: Args<O>): Promise<any>;
  stop(): Promise<void>;
}

export async function startConsoleProcess(config: ConsoleProcessConfig): Promise<ConsoleProcess> {
  const child: ChildProcess = fork(await consoleProcessBundle(), [], {
    execArgv: [
      '--enable-source-maps',
      ...(process.env.VB_BENCH_CONSOLE_FLAGS?.split(' ').filter(Boolean) ?? []),
      ...(process.env.VB_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.VB_BENCH_PROFILE}`] : []),
    ],
    env: { ...process.env, VB_CONSOLE_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let exited = false;
  const ready = new Promise<{ url: string; cacheLoadedMs: number; points: number }>((resolve, reject) => {
    child.on('message', (m: any) => {
      if (m.ready) return resolve(m);
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      if (m.error) w.reject(new Error(m.error));
      else w.resolve(m.result);
    });
    child.once('exit', (code) => {
      exited = true;
      reject(new Error(`console process exited (${code}) before it was ready`));
      for (const w of waiting.values()) w.reject(new Error(`console process exited (${code})`));
      waiting.clear();
    });
  });
  const info = await ready;
  const call = (op: Op, args: object = {}) =>
    new Promise<any>((resolve, reject) => {
      if (exited) return reject(new Error('console process has exited'));
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      child.send({ id, op, ...args });
    });
  return {
    url: info.url,
    pid: child.pid!,
    cacheLoadedMs: info.cacheLoadedMs,
    points: info.points,
    call: call as ConsoleProcess['call'],
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await call('stop').catch(() => undefined);
      await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
      if (!exited) child.kill('SIGKILL');
    },
  };
}
