// The Availability view's CSV exports (uptime per port per month, outages of the period) with a progress bar and a
// Cancel that stops the work. On the desktop the shell asks where to save first; in a browser tab the finished file
// is downloaded from the web host.
import { useEffect, useRef, useState } from 'react';
import { UPTIME_EXPORT_DOWNLOAD_PATH, type UptimeExportProgress } from '../../../../common/uptime.js';
import type { HostApi } from '../../api/index.js';
import { exportFraction, exportRequest, exportText } from './exportModel.js';

export function ExportCsv({
  api,
  period,
  siteId,
}: {
  api: HostApi;
  period: { from: number; to: number };
  siteId: string | null;
}) {
  const [progress, setProgress] = useState<UptimeExportProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = useRef<string | null>(null);

  useEffect(
    () =>
      api.on('uptimeExport', (p) => {
        if (p.exportId !== current.current) return;
        setProgress(p);
        if (p.state === 'done' && api.kind === 'web') {
          const a = document.createElement('a');
          a.href = `${UPTIME_EXPORT_DOWNLOAD_PATH}${encodeURIComponent(p.exportId)}`;
          a.download = p.fileName;
          a.click();
        }
      }),
    [api],
  );

  const start = (kind: 'monthly' | 'outages') => {
    setError(null);
    api
      .call('startUptimeExport', exportRequest(kind, period, siteId, Date.now()))
      .then((p) => {
        current.current = p.exportId;
        setProgress(p);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  const running = progress?.state === 'running';
  const fraction = progress ? exportFraction(progress) : null;

  return (
    <section className="availability-export" data-testid="availability-export">
      <h3>Export CSV{siteId ? ' (this site)' : ''}</h3>
      <div className="availability-export-buttons">
        <button type="button" disabled={running} onClick={() => start('monthly')} data-testid="export-monthly">
          Uptime per port per month (12 months)
        </button>
        <button type="button" disabled={running} onClick={() => start('outages')} data-testid="export-outages">
          Outages of this period
        </button>
      </div>
      {progress ? (
        <div className="availability-export-progress" role="status" data-testid="export-progress">
          {running ? (
            <>
              <progress max={1} value={fraction ?? undefined} aria-label="Export progress" />
              <button
                type="button"
                onClick={() => void api.call('cancelUptimeExport', { exportId: progress.exportId })}
                data-testid="export-cancel"
              >
                Cancel
              </button>
            </>
          ) : null}
          <span className={progress.state === 'failed' ? 'export-failed' : 'muted'}>{exportText(progress)}</span>
        </div>
      ) : null}
      {error ? <p className="export-failed">{error}</p> : null}
    </section>
  );
}
