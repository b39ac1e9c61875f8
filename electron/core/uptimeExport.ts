// CSV exports of uptime (per port per month) and outages, fetched from the backend's report endpoint with this
// console's token and streamed to a file: written as `<id>.csv.part` and renamed to `<id>.csv` only when the
// backend ended the report, so a cancelled or failed export leaves nothing that looks complete. Cancel aborts the
// request (the backend stops computing when the connection closes). A file written under exports/ for the web host's
// download is removed once downloaded whole, when discarded (cancel), or after EXPORT_KEPT_MS, never while a download
// of it is running; files an earlier run left are removed at start. A sweep every EXPORT_SWEEP_MS catches what that
// missed: a removal that failed (retried, never thrown out of a timer), a retention whose timer fired late, and
// exporter-named files untouched for the retention that no export of this console holds. A desktop export's partial
// file sits beside the file the person chose: its path is noted in exports/<id>.saving while it is written, so that
// a crash's leftover there is removed at the next start too. docs/uptime.md, "Exports from the console".
import {
  createWriteStream,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { systemClock, type Clock, type TimerHandle } from '../../common/clock.js';
import { UPTIME_REPORT_PATH, UPTIME_REPORT_ROWS_HEADER } from '../../common/uptime.js';
import type { UptimeExportProgress, UptimeExportRequest } from '../../common/uptime.js';

export interface ExportTarget {
  url: string;
  token: string;
}

export function exportFileName(req: UptimeExportRequest): string {
  const day = (iso: string) => iso.slice(0, 10);
  const site = req.siteId ? `-${req.siteId.replace(/[^A-Za-z0-9_-]/g, '_')}` : '';
  return `uptime-${req.kind}${site}-${day(req.from)}-to-${day(req.to)}.csv`;
}

/**
 * How long a finished export waits under exports/ for its download. The page starts the download the moment the
 * export ends, so this only has to cover a download cut short and retried from the browser's list (which export is
 * which is known in memory only: a later visit cannot ask for it). An hour, not a day: 13 months of rows for 100,000
 * ports can pass a hundred megabytes, and a console left running would keep a day of such files.
 */
export const EXPORT_KEPT_MS = 60 * 60 * 1000;

/** How often exports/ is swept for what the per-export timers missed (a failed removal, a late timer). */
export const EXPORT_SWEEP_MS = 10 * 60 * 1000;

/**
 * The files this class writes under exports/: `<uuid>.csv`, `<uuid>.csv.part`, and `<uuid>.saving` (the path of a
 * desktop export's partial file while it is written).
 */
const EXPORT_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(csv|csv\.part|saving)$/;
const SAVING = '.saving';

interface Running {
  abort: AbortController;
  progress: UptimeExportProgress;
  /** The partial file being written, and the note of its path for a desktop export (null: none). */
  part: string;
  saving: string | null;
}

/** A finished export: its file under exports/ (null: saved where the person chose, not ours to remove). */
interface Finished {
  progress: UptimeExportProgress;
  file: string | null;
  downloads: number;
  /** Past its retention or discarded: removed when no download of it is running. */
  expired: boolean;
  timer: TimerHandle | null;
  /** When it finished, on the clock: the sweep expires it by this if its timer is late. */
  finishedAt: number;
}

/** One download of a finished export; `end` says whether the whole file was sent. */
export interface ExportDownload {
  file: string;
  fileName: string;
  end(whole: boolean): void;
}

export class UptimeExports {
  private readonly running = new Map<string, Running>();
  private readonly finished = new Map<string, Finished>();
  private readonly clock: Clock;
  private readonly keptMs: number;
  private readonly log: (line: string) => void;
  /** Files whose removal failed: tried again at each sweep (said once in the log). */
  private readonly stuck = new Set<string>();
  private readonly sweepTimer: TimerHandle;

  constructor(
    private readonly dir: string,
    private readonly onProgress: (p: UptimeExportProgress) => void,
    options: { clock?: Clock; keptMs?: number; log?: (line: string) => void } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.keptMs = options.keptMs ?? EXPORT_KEPT_MS;
    this.log = options.log ?? (() => undefined);
    // No earlier run's export can be downloaded any more (what is finished is known in memory only), and no earlier
    // run is still writing one (one console per data folder): all of them go, with a desktop export's partial file.
    try {
      for (const { file, saving } of this.exportFiles()) {
        if (saving) this.removeSaving(file, new Set());
        else this.remove(file);
      }
    } catch (error) {
      this.log(`exports: could not look through ${dir} at start: ${reasonOf(error)}`);
    }
    this.sweepTimer = this.clock.every(EXPORT_SWEEP_MS, () => this.sweep());
  }

  /** Removes what the timers missed; never throws (it runs from a timer). */
  private sweep(): void {
    try {
      const now = this.clock.now();
      for (const [id, f] of this.finished) {
        if (f.file !== null && !f.expired && now - f.finishedAt >= this.keptMs) f.expired = true;
        this.removeIfDone(id);
      }
      const held = new Set<string>();
      for (const r of this.running.values()) {
        held.add(r.part);
        if (r.saving) held.add(r.saving);
      }
      for (const f of this.finished.values()) if (f.file !== null) held.add(f.file);
      for (const file of [...this.stuck]) if (!held.has(file)) this.remove(file);
      // Files no export of this console holds (a removal that failed and was forgotten, an earlier console's):
      // removed once untouched for the retention, when no exporter would still write or offer them.
      for (const { file, saving, mtimeMs } of this.exportFiles()) {
        if (held.has(file) || now - mtimeMs < this.keptMs) continue;
        if (saving) this.removeSaving(file, held);
        else this.remove(file);
      }
    } catch (error) {
      this.log(`exports: the sweep of ${this.dir} failed: ${reasonOf(error)}`);
    }
  }

  /** The regular files under exports/ that this class would have written (nothing else is ever touched). */
  private exportFiles(): { file: string; saving: boolean; mtimeMs: number }[] {
    if (!existsSync(this.dir)) return [];
    const found: { file: string; saving: boolean; mtimeMs: number }[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!EXPORT_FILE.test(name)) continue;
      const file = path.join(this.dir, name);
      try {
        const stat = lstatSync(file);
        if (stat.isFile()) found.push({ file, saving: name.endsWith(SAVING), mtimeMs: stat.mtimeMs });
      } catch {
        // gone meanwhile
      }
    }
    return found;
  }

  /** A note of a desktop export's partial file: that file (unless an export is writing it) and then the note. */
  private removeSaving(note: string, held: Set<string>): void {
    let part = '';
    try {
      part = readFileSync(note, 'utf8');
    } catch {
      // unreadable: only the note goes
    }
    if (path.isAbsolute(part) && part.endsWith('.csv.part') && !held.has(part) && !this.remove(part)) return;
    this.remove(note);
  }

  /** Removes a file; false when that failed (logged once, tried again at each sweep). Never throws. */
  private remove(file: string): boolean {
    try {
      rmSync(file, { force: true });
      this.stuck.delete(file);
      return true;
    } catch (error) {
      if (!this.stuck.has(file)) {
        this.log(`exports: could not remove ${file} (${reasonOf(error)}); tried again at each sweep`);
      }
      this.stuck.add(file);
      return false;
    }
  }

  /** Where a finished export's file is (null: unknown, not finished, cancelled, or removed). */
  fileOf(exportId: string): { file: string; fileName: string } | null {
    const f = this.finished.get(exportId);
    if (!f || f.file === null || f.expired || f.progress.state !== 'done') return null;
    return { file: f.file, fileName: f.progress.fileName };
  }

  /** Starts a download of a finished export's file: it is kept until the download ends (null: no such file). */
  download(exportId: string): ExportDownload | null {
    const found = this.fileOf(exportId);
    const f = this.finished.get(exportId);
    if (!found || !f) return null;
    f.downloads++;
    let ended = false;
    return {
      ...found,
      end: (whole) => {
        if (ended) return;
        ended = true;
        f.downloads--;
        // Downloaded whole: the page has it. Cut short: kept for another try until its retention ends.
        if (whole) f.expired = true;
        this.removeIfDone(exportId);
      },
    };
  }

  /** Starts an export; progress (and its end) arrives through onProgress. */
  start(req: UptimeExportRequest, target: ExportTarget, saveTo?: string): UptimeExportProgress {
    mkdirSync(this.dir, { recursive: true });
    const exportId = randomUUID();
    const progress: UptimeExportProgress = {
      exportId,
      kind: req.kind,
      fileName: exportFileName(req),
      state: 'running',
      rowsDone: 0,
      rowsTotal: null,
      bytes: 0,
      error: null,
    };
    const file = saveTo ?? path.join(this.dir, `${exportId}.csv`);
    const running: Running = { abort: new AbortController(), progress, part: `${file}.part`, saving: null };
    if (saveTo !== undefined) {
      // Beside the person's file, outside exports/: noted, so that a crash's leftover is found at the next start.
      const saving = path.join(this.dir, `${exportId}${SAVING}`);
      try {
        writeFileSync(saving, path.resolve(running.part));
        running.saving = saving;
      } catch (error) {
        this.log(`exports: could not note ${running.part} in ${saving}: ${reasonOf(error)}`);
      }
    }
    this.running.set(exportId, running);
    void this.run(req, target, running, file, saveTo === undefined);
    return { ...progress };
  }

  /**
   * Stops a running export (the request is aborted and its partial file removed), or discards a finished one's file
   * under exports/ (after the download that is running, if one is). False: neither.
   */
  cancel(exportId: string): boolean {
    const r = this.running.get(exportId);
    if (r) {
      r.abort.abort();
      return true;
    }
    const f = this.finished.get(exportId);
    if (!f || f.file === null || f.expired) return false;
    f.expired = true;
    this.removeIfDone(exportId);
    return true;
  }

  /** Stops them all and removes the finished files no download is reading (the core closes). */
  close(): void {
    this.sweepTimer.cancel();
    for (const r of this.running.values()) r.abort.abort();
    for (const [id, f] of this.finished) {
      f.expired = true;
      this.removeIfDone(id);
    }
  }

  private removeIfDone(exportId: string): void {
    const f = this.finished.get(exportId);
    if (!f || !f.expired || f.downloads > 0) return;
    f.timer?.cancel();
    // One that cannot be removed now is forgotten here and tried again at each sweep (this.stuck).
    if (f.file !== null) this.remove(f.file);
    this.finished.delete(exportId);
  }

  private keep(p: UptimeExportProgress, file: string | null): void {
    const f: Finished = {
      progress: { ...p },
      file,
      downloads: 0,
      expired: false,
      timer: null,
      finishedAt: this.clock.now(),
    };
    this.finished.set(p.exportId, f);
    if (file === null) return;
    f.timer = this.clock.after(this.keptMs, () => {
      f.timer = null;
      f.expired = true;
      this.removeIfDone(p.exportId);
    });
  }

  private async run(
    req: UptimeExportRequest,
    target: ExportTarget,
    r: Running,
    file: string,
    ours: boolean,
  ): Promise<void> {
    const part = r.part;
    const p = r.progress;
    let out: ReturnType<typeof createWriteStream> | null = null;
    const end = (state: UptimeExportProgress['state'], error: string | null = null) => {
      p.state = state;
      p.error = error;
      this.running.delete(p.exportId);
      if (r.saving) this.remove(r.saving);
      if (state === 'done') this.keep(p, ours ? file : null);
      this.onProgress({ ...p });
    };
    try {
      const query = new URLSearchParams({ kind: req.kind, from: req.from, to: req.to });
      if (req.siteId) query.set('site', req.siteId);
      const res = await fetch(`${target.url}${UPTIME_REPORT_PATH}?${query}`, {
        headers: { authorization: `Bearer ${target.token}` },
        signal: r.abort.signal,
      });
      if (!res.ok || !res.body) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        return end('failed', body?.error?.message ?? `the backend answered ${res.status}`);
      }
      const total = Number(res.headers.get(UPTIME_REPORT_ROWS_HEADER));
      p.rowsTotal = Number.isFinite(total) && total > 0 ? total : null;
      const stream = (out = createWriteStream(part));
      const written = new Promise<void>((resolve, reject) => stream.on('finish', resolve).on('error', reject));
      // Cancelled or failed mid-body, the stream is destroyed with a write in flight and rejects this unawaited.
      written.catch(() => undefined);
      const decoder = new TextDecoder();
      let rest = '';
      let header = true;
      let lastSent = 0;
      for await (const chunk of res.body) {
        // once() rejects on the stream's 'error' (a full disk): waiting only for 'drain' would wait for ever.
        if (!stream.write(chunk)) await once(stream, 'drain');
        p.bytes += chunk.byteLength;
        const lines = (rest + decoder.decode(chunk, { stream: true })).split('\r\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          if (header) {
            header = false;
            continue;
          }
          if (line !== '') p.rowsDone++;
        }
        const now = Date.now();
        if (now - lastSent >= 100) {
          lastSent = now;
          this.onProgress({ ...p });
        }
      }
      stream.end();
      await written;
      renameSync(part, file);
      end('done');
    } catch (error) {
      out?.destroy();
      this.remove(part);
      if (r.abort.signal.aborted) end('cancelled');
      else end('failed', `the export stopped: ${reasonOf(error)}`);
    }
  }
}

/**
 * What stopped a fetch, in words: fetch says only "terminated" when the connection ended mid-body, and puts why
 * (the other side closed, a reset, a timeout) in its cause.
 */
export function reasonOf(error: unknown): string {
  const e = error as Error & { cause?: unknown };
  const cause = e.cause instanceof Error ? e.cause : null;
  const more = cause ? [cause.message, (cause as NodeJS.ErrnoException).code].filter(Boolean).join(', ') : '';
  return more && !e.message.includes(more) ? `${e.message} (${more})` : e.message;
}
