// Whether a command the tests run is installed here (it answers `command ...args` without failing).
import { execFileSync } from 'node:child_process';

export function hasCommand(command: string, ...args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
