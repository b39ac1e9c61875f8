// Stopping cleanly under `npm run`: the chain is npm → sh → tsx → our process. A SIGTERM sent to npm alone
// kills the shell but never reaches us, which would leave a server running orphaned; so we watch the process
// that started tsx and stop when it is gone.
import { readFileSync } from 'node:fs';

/** The parent process id of pid (Linux /proc); null where that cannot be read. */
export function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

export function watchLauncher(onGone: () => void): void {
  if (!process.env.npm_lifecycle_event) return;
  const launcher = parentOf(process.ppid);
  if (launcher === null || launcher <= 1) return;
  const timer = setInterval(() => {
    if (parentOf(process.ppid) !== launcher) {
      clearInterval(timer);
      onGone();
    }
  }, 500);
  timer.unref();
}
