// CSV exports of uptime (per port per month) and outages, fetched from the backend's report endpoint with this
// console's token and streamed to a file: written as `<id>.csv.part` and renamed to `<id>.csv` only when the
// backend ended the report, so a cancelled or failed export leaves nothing that looks complete. Cancel aborts the
// request (the backend stops computing when the connection closes). docs/uptime.md, "Exports from the console".
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
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

interface Running {
  abort: AbortController;
  progress: UptimeExportProgress;
}

export class UptimeExports {
  private readonly running = new Map<string, Running>();
  private readonly finished = new Map<string, UptimeExportProgress>();

  constructor(
    private readonly dir: string,
    private readonly onProgress: (p: UptimeExportProgress) => void,
  ) {}

  /** Where a finished export's file is (null: unknown, not finished, or cancelled). */
  fileOf(exportId: string): { file: string; fileName: string } | null {
    const done = this.finished.get(exportId);
    if (!done || done.state !== 'done' || !/^[0-9a-f-]{36}$/.test(exportId)) return null;
    return { file: path.join(this.dir, `${exportId}.csv`), fileName: done.fileName };
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
    const running: Running = { abort: new AbortController(), progress };
    this.running.set(exportId, running);
    void this.run(req, target, running, saveTo ?? path.join(this.dir, `${exportId}.csv`));
    return { ...progress };
  }

  /** Stops a running export: the request is aborted and its partial file removed. False: not running. */
  cancel(exportId: string): boolean {
    const r = this.running.get(exportId);
    if (!r) return false;
    r.abort.abort();
    return true;
  }

  /** Stops them all (the core closes). */
  close(): void {
    for (const r of this.running.values()) r.abort.abort();
  }

  private async run(req: UptimeExportRequest, target: ExportTarget, r: Running, file: string): Promise<void> {
    const part = `${file}.part`;
    const p = r.progress;
    let out: ReturnType<typeof createWriteStream> | null = null;
    const end = (state: UptimeExportProgress['state'], error: string | null = null) => {
      p.state = state;
      p.error = error;
      this.running.delete(p.exportId);
      this.finished.set(p.exportId, { ...p });
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
      const decoder = new TextDecoder();
      let rest = '';
      let header = true;
      let lastSent = 0;
      for await (const chunk of res.body) {
        if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
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
      rmSync(part, { force: true });
      if (r.abort.signal.aborted) end('cancelled');
      else end('failed', `the export stopped: ${(error as Error).message}`);
    }
  }
}
