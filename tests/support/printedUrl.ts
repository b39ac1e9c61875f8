// Waits for a command started by a test (`npm run web`) to print its URL; fails at once, with what it printed, if
// the command exits first (a port in use, a crash) instead of waiting out the timeout.
import type { ChildProcess } from 'node:child_process';
import { waitFor } from './waitFor.js';

export async function printedUrl(
  child: ChildProcess,
  output: () => string,
  pattern: RegExp,
  timeoutMs: number,
): Promise<string> {
  let fail!: (error: Error) => void;
  const exited = new Promise<never>((_, reject) => (fail = reject));
  exited.catch(() => undefined);
  const onExit = (code: number | null, signal: string | null) =>
    fail(new Error(`the command exited (${signal ?? `code ${code}`}) before printing its URL:\n${output()}`));
  child.once('exit', onExit);
  try {
    return await Promise.race([waitFor('the printed URL', () => output().match(pattern)?.[1], timeoutMs), exited]);
  } finally {
    child.off('exit', onExit);
  }
}
