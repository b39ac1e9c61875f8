// The "busy" mode of the scale benchmarks (issue 22): one core of the machine kept busy by a separate process, as a
// control room's desktop has a browser, a video wall and a call open beside the console. The process is plain Node
// spinning on arithmetic at normal priority (no nice), so the scheduler shares the cores with it as it would with
// any other program; it allocates nothing, so it takes CPU time and no memory bandwidth to speak of.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export type BenchMode = 'quiet' | 'busy';

const SPIN = `
let x = 0;
for (;;) {
  for (let i = 0; i < 1e7; i++) x = (x * 31 + i) | 0;
  if (x === 42) console.log(x);
}
`;

export interface BusyLoad {
  /** Stops the load; answers the share of one core it took while it ran (1 = a whole core), or 0 when quiet. */
  stop(): Promise<number>;
}

/** utime + stime of a process from /proc, in seconds (Linux clock ticks are 100 per second). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Starts the load for `mode` "busy" (one core busy until stop); "quiet" starts nothing. */
export function startBusyLoad(mode: BenchMode): BusyLoad {
  if (mode === 'quiet') return { stop: async () => 0 };
  const startedAt = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['-e', SPIN], { stdio: 'ignore' });
  // A bench that crashes must not leave the load running through later runs.
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  let share: Promise<number> | null = null;
  return {
    stop: () => (share ??= stopLoad()),
  };

  async function stopLoad(): Promise<number> {
    process.off('exit', kill);
    if (child.exitCode !== null || child.pid === undefined)
      throw new Error(`the busy load exited early (${child.exitCode})`);
    const taken = cpuSeconds(child.pid) / ((performance.now() - startedAt) / 1000);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    return taken;
  }
}
