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

/**
 * Calls onGone once the launcher (the process that started our parent) is gone. A failure to read /proc (null:
 * out of file descriptors, say) says nothing about the launcher: it is checked again next time, never taken as
 * "gone" (it was, and the backend shut itself down when an attacker had filled its file descriptors).
 */
export function watchLauncher(
  onGone: () => void,
  opts: { parentOf?: (pid: number) => number | null; everyMs?: number; env?: NodeJS.ProcessEnv } = {},
): void {
  const parent = opts.parentOf ?? parentOf;
  if (!(opts.env ?? process.env).npm_lifecycle_event) return;
  const launcher = parent(process.ppid);
  if (launcher === null || launcher <= 1) return;
  const timer = setInterval(() => {
    const now = parent(process.ppid);
    if (now !== null && now !== launcher) {
      clearInterval(timer);
      onGone();
    }
  }, opts.everyMs ?? 500);
  timer.unref();
}
