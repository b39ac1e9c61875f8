// The last uptime figures this console computed with the backend, kept on disk so an owner's laptop shows its sites'
// figures while offline, marked with when they were computed. Keyed by what was asked (scope, id, the period's
// length in days, daily, outages), not by the exact dates: offline, "the last 30 days" are the last ones known.
// One JSON file written whole (temporary file, then rename): a crash leaves the old one or the new one. Written after
// the reply has gone on (a network's figures at 50,000 ports are megabytes), each entry serialised once.
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { DAY_MS, uptimeReplySchema, type UptimeReply } from '../../common/uptime.js';
import type { MethodParams } from '../../common/consoleApi.js';

const MAX_ENTRIES = 20;
const entrySchema = z.object({ key: z.string(), at: z.string(), reply: uptimeReplySchema });
/** Entries checked one by one: one written by an earlier version in another shape is dropped, not the whole file. */
const fileSchema = z.object({ entries: z.array(z.unknown()).max(100) });

export function uptimeCacheKey(params: MethodParams<'getUptime'>): string {
  const days = Math.round((Date.parse(params.to) - Date.parse(params.from)) / DAY_MS);
  return JSON.stringify([
    params.scope,
    params.id ?? null,
    days,
    params.daily ?? false,
    params.outages ?? false,
    params.maxOutages ?? 500,
    params.worstPorts ?? null,
    params.stations ?? true,
  ]);
}

type Entry = z.infer<typeof entrySchema>;

export class UptimeFiguresCache {
  private entries: Entry[];
  /** Each entry's JSON, made once when it is first written. */
  private readonly texts = new WeakMap<Entry, string>();
  private writing: Promise<void> = Promise.resolve();
  private pending = false;

  constructor(
    private readonly file: string,
    private readonly log: (line: string) => void,
  ) {
    try {
      const stored = fileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).entries;
      this.entries = stored.flatMap((e) => {
        const entry = entrySchema.safeParse(e);
        return entry.success ? [entry.data] : [];
      });
      const dropped = stored.length - this.entries.length;
      if (dropped > 0)
        log(`uptime cache: ${dropped} ${dropped === 1 ? 'entry' : 'entries'} in an earlier shape dropped`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log(`uptime cache unreadable, starting empty`);
      this.entries = [];
    }
  }

  remember(params: MethodParams<'getUptime'>, reply: UptimeReply, at: Date): void {
    const key = uptimeCacheKey(params);
    const { cachedAt: _cachedAt, ...fresh } = reply;
    this.entries = [{ key, at: at.toISOString(), reply: fresh }, ...this.entries.filter((e) => e.key !== key)].slice(
      0,
      MAX_ENTRIES,
    );
    if (this.pending) return;
    this.pending = true;
    this.writing = this.writing.then(() => new Promise((resolve) => setImmediate(resolve))).then(() => this.write());
  }

  /** Resolves when what was remembered is on disk. */
  written(): Promise<void> {
    return this.writing;
  }

  private async write(): Promise<void> {
    this.pending = false;
    const parts = this.entries.map((e) => {
      let text = this.texts.get(e);
      if (text === undefined) this.texts.set(e, (text = JSON.stringify(e)));
      return text;
    });
    const tmp = `${this.file}.tmp`;
    try {
      await writeFile(tmp, `{"entries":[${parts.join(',')}]}`);
      await rename(tmp, this.file);
    } catch (error) {
      this.log(`uptime cache not written: ${(error as Error).message}`);
    }
  }

  /** The last figures for the same question, marked with when they were computed; null when none. */
  recall(params: MethodParams<'getUptime'>): UptimeReply | null {
    const key = uptimeCacheKey(params);
    const found = this.entries.find((e) => e.key === key);
    return found ? { ...found.reply, cachedAt: found.at } : null;
  }
}
