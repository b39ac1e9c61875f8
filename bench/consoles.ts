// Starts a console (core + web host) in a child process (bench/consoleProcess.ts) and talks to it over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { benchBundle, childCalls, stopChild } from './childProcess.js';
import type { ConsoleProcessConfig, ConsoleRequest } from './consoleProcess.js';

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
  const child: ChildProcess = fork(await benchBundle('consoleProcess'), [], {
    execArgv: [
      '--enable-source-maps',
      ...(process.env.VB_BENCH_CONSOLE_FLAGS?.split(' ').filter(Boolean) ?? []),
      ...(process.env.VB_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.VB_BENCH_PROFILE}`] : []),
    ],
    env: { ...process.env, VB_CONSOLE_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const calls = childCalls<{ url: string; cacheLoadedMs: number; points: number }>(child, 'console process');
  const info = await calls.ready;
  return {
    url: info.url,
    pid: child.pid!,
    cacheLoadedMs: info.cacheLoadedMs,
    points: info.points,
    call: calls.call as ConsoleProcess['call'],
    stop: () => stopChild(child, calls),
  };
}
