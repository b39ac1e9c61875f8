// Puts a WAL database's commits on disk off the event loop, for a connection at synchronous=NORMAL: one fdatasync of
// its write-ahead log, which holds every commit not yet checkpointed (a checkpoint at NORMAL syncs the log before it
// copies it and the database after). The log stays open between syncs; the first sync also syncs the folder, so that
// a log created since the database was opened is found after a power loss (as SQLite's own FULL commit does; not on
// Windows, where a folder cannot be synced and NTFS journals the entry itself).
import { fstatSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

export class WriteAheadLogSync {
  private log: Promise<FileHandle> | null = null;
  private closed = false;
  /** A sync that failed: what it should have written may never reach the disk, and a later sync can still report
   * success on Linux (the failed pages are dropped as clean), so every later sync fails with it (as PostgreSQL does). */
  private failed: Error | null = null;

  constructor(private readonly databaseFile: string) {}

  async sync(): Promise<void> {
    if (this.failed) throw this.failed;
    const opening = (this.log ??= this.openLog());
    let handle: FileHandle;
    try {
      handle = await opening;
    } catch (error) {
      // Nothing was synced: the next sync tries to open the log again.
      if (this.log === opening) this.log = null;
      throw error;
    }
    try {
      await handle.datasync();
    } catch (error) {
      this.failed = new Error(`the cache could not be put on disk: ${(error as Error).message}`, { cause: error });
      throw this.failed;
    }
    // The log was removed meanwhile (only closing the database or leaving WAL mode does that): sync the new one.
    if (fstatSync(handle.fd).nlink === 0 && !this.closed) {
      if (this.log === opening) this.log = null;
      void handle.close().catch(() => undefined);
      await this.sync();
    }
  }

  /** After the database closed (closing, as its only connection, checkpointed the log into it and synced it). */
  close(): void {
    this.closed = true;
    void this.log?.then((h) => h.close()).catch(() => undefined);
    this.log = null;
  }

  private async openLog(): Promise<FileHandle> {
    const handle = await open(`${this.databaseFile}-wal`, 'r+');
    if (process.platform === 'win32') return handle;
    try {
      const folder = await open(path.dirname(this.databaseFile), 'r');
      await folder.sync().finally(() => folder.close());
    } catch (error) {
      await handle.close();
      throw error;
    }
    return handle;
  }
}
