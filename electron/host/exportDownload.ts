// GET /exports/<exportId>: a finished CSV export offered for download (the page's session cookie was checked by the
// caller). Only the core's own finished files are served, by id; anything else is 404. The file is kept while it is
// sent; sent whole, it is removed (electron/core/uptimeExport.ts).
import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { UPTIME_EXPORT_DOWNLOAD_PATH } from '../../common/uptime.js';
import type { ConsoleCore } from '../core/consoleCore.js';
import { securityHeaders } from './staticFiles.js';

export function serveExport(
  core: Pick<ConsoleCore, 'exports'>,
  pathname: string,
  res: ServerResponse,
  port: number,
): void {
  const found = core.exports.download(pathname.slice(UPTIME_EXPORT_DOWNLOAD_PATH.length));
  if (!found) {
    res.writeHead(404, { ...securityHeaders(port), 'Content-Type': 'text/plain; charset=utf-8' }).end('no such export');
    return;
  }
  res.writeHead(200, {
    ...securityHeaders(port),
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${found.fileName}"`,
    'Cache-Control': 'no-store',
  });
  res.on('close', () => found.end(res.writableFinished));
  createReadStream(found.file)
    .on('error', () => res.destroy())
    .pipe(res);
}
