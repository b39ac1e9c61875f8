// The last uptime figures this console computed with the backend, kept on disk so an owner's laptop shows its sites'
// figures while offline, marked with when they were computed. Keyed by what was asked (scope, id, the period's
// length in days, daily, outages), not by the exact dates: offline, "the last 30 days" are the last ones known.
// One small JSON file written whole (temporary file, then rename): a crash leaves the old one or the new one.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { DAY_MS, uptimeReplySchema, type UptimeReply } from '../../common/uptime.js';
import type { MethodParams } from '../../common/consoleApi.js';

const MAX_ENTRIES = 20;
const fileSchema = z.object({
  entries: z.array(z.object({ key: z.string(), at: z.string(), reply: uptimeReplySchema })).max(100),
});

export function uptimeCacheKey(params: MethodParams<'getUptime'>): string {
  const days = Math.round((Date.parse(params.to) - Date.parse(params.from)) / DAY_MS);
  return JSON.stringify([
    params.scope,
    params.id ?? null,
    days,
    params.daily ?? false,
    params.outages ?? false,
    params.maxOutages ?? 500,
  ]);
}

export class UptimeFiguresCache {
  private entries: z.infer<typeof fileSchema>['entries'];

  constructor(
    private readonly file: string,
    log: (line: string) => void,
  ) {
    try {
      this.entries = fileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).entries;
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
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ entries: this.entries }));
    renameSync(tmp, this.file);
  }

  /** The last figures for the same question, marked with when they were computed; null when none. */
  recall(params: MethodParams<'getUptime'>): UptimeReply | null {
    const key = uptimeCacheKey(params);
    const found = this.entries.find((e) => e.key === key);
    return found ? { ...found.reply, cachedAt: found.at } : null;
  }
}
