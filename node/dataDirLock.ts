// One running console per data folder: its cache, outbox, settings and exports are not made to be shared (a second
// console would replay the same outbox and remove the first one's exports at its start). Electron's shell has
// requestSingleInstanceLock; the web host takes this lock, a file holding its process id. A lock whose process is
// gone (killed, crashed) is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'voltboard.lock';

export interface DataDirLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderOf(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Takes the data folder for this process, or throws saying which process has it. */
export function lockDataDir(dir: string): DataDirLock {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      const release = () => {
        if (holderOf(file) === process.pid) rmSync(file, { force: true });
      };
      process.once('exit', release);
      return {
        release() {
          process.off('exit', release);
          release();
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = holderOf(file);
    if (holder !== null && alive(holder)) {
      throw new Error(
        `the data folder ${dir} is in use by another Voltboard console (process ${holder}): stop it, or give this ` +
          'one another --data folder',
      );
    }
    // Left by a process that is gone, or written only in part when it crashed.
    rmSync(file, { force: true });
  }
  throw new Error(`could not take the data folder ${dir}: its lock file ${file} keeps coming back`);
}
