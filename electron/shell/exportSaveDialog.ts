// The desktop's save dialog for CSV exports: before the core starts an export, the person chooses where the file
// goes (the renderer never names a path). Closing the dialog starts nothing. Other calls pass through unchanged.
import { ConsoleApiError, consoleMethods } from '../../common/consoleApi.js';
import type { UptimeExportProgress, UptimeExportRequest } from '../../common/uptime.js';
import { exportFileName } from '../core/uptimeExport.js';

/** The part of Electron's save dialog used here (main.ts hands Electron's own `dialog`, checked against it). */
export interface SaveDialogOptions {
  title: string;
  defaultPath: string;
  filters: { name: string; extensions: string[] }[];
  properties: ('createDirectory' | 'showOverwriteConfirmation')[];
}
export interface SaveDialog<Window> {
  showSaveDialog(window: Window, options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
}

export const EXPORT_NOT_SAVED = 'export not started: no file was chosen';

/** Asks where to save the export; null when the person closed the dialog. A name without .csv gets it. */
export async function askExportPath<Window>(
  dialog: SaveDialog<Window>,
  window: Window,
  fileName: string,
  defaultDir: string,
): Promise<string | null> {
  const answer = await dialog.showSaveDialog(window, {
    title: 'Save the CSV export',
    defaultPath: `${defaultDir}/${fileName}`,
    filters: [{ name: 'CSV', extensions: ['csv'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  if (answer.canceled || !answer.filePath) return null;
  return /\.csv$/i.test(answer.filePath) ? answer.filePath : `${answer.filePath}.csv`;
}

/**
 * Runs a console call from the window; startUptimeExport first asks for the file (params validated as the
 * dispatcher does), then hands the core the chosen path.
 */
export async function callWithSaveDialog(
  method: string,
  params: unknown,
  deps: {
    dispatch(method: string, params: unknown): Promise<unknown>;
    ask(fileName: string): Promise<string | null>;
    start(params: UptimeExportRequest, saveTo: string): Promise<UptimeExportProgress>;
  },
): Promise<unknown> {
  if (method !== 'startUptimeExport') return deps.dispatch(method, params);
  const parsed = consoleMethods.startUptimeExport.params.safeParse(params ?? {});
  if (!parsed.success) return deps.dispatch(method, params);
  const saveTo = await deps.ask(exportFileName(parsed.data));
  if (saveTo === null) throw new ConsoleApiError('invalid', EXPORT_NOT_SAVED);
  return deps.start(parsed.data, saveTo);
}
