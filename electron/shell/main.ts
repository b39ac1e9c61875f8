// The Electron main process: one window, sandboxed, serving the renderer from app://voltboard, with the
// console core in-process behind IPC that only our own frame may use.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  net,
  Notification,
  protocol,
  session,
  type IpcMainInvokeEvent,
} from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { dispatch, toWireError } from '../core/api/dispatch.js';
import { askExportPath, callWithSaveDialog } from './exportSaveDialog.js';
import { limitHeapGrowth } from '../../node/heapPolicy.js';
import { launchCore, type LaunchedCore } from '../core/launch.js';
import { startEmbeddedDemo } from '../demo/embeddedDemo.js';
import {
  APP_ORIGIN,
  APP_SCHEME,
  IPC_CALL,
  IPC_EVENT,
  RENDERER_CSP,
  fileForAppUrl,
  installContentsPolicy,
  installSessionPolicy,
  isTrustedSender,
  mainWindowOptions,
  type ContentsLike,
  type SessionLike,
} from './policy.js';
import { desktopSettings, safeTokenStore, windowBounds } from './settingsStore.js';
import { DesktopAlertNotifier } from './alertNotifications.js';
import type { EventPayload } from '../../common/consoleApi.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const rendererDir = path.resolve(here, '..', 'dist', 'renderer');

limitHeapGrowth();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  let launched: LaunchedCore | null = null;

  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });

  app.on('web-contents-created', (_event, contents) => installContentsPolicy(contents as unknown as ContentsLike));

  void app.whenReady().then(async () => {
    installSessionPolicy(session.defaultSession as unknown as SessionLike);
    protocol.handle(APP_SCHEME, async (request) => {
      const file = fileForAppUrl(request.url, rendererDir);
      if (!file) return new Response('not found', { status: 404 });
      const response = await net.fetch(pathToFileURL(file).toString());
      const headers = new Headers(response.headers);
      headers.set('Content-Security-Policy', RENDERER_CSP);
      headers.set('X-Content-Type-Options', 'nosniff');
      return new Response(response.body, { status: response.status, headers });
    });

    launched = await launchCore({
      dataDir: path.join(app.getPath('userData'), 'console'),
      settings: desktopSettings,
      tokens: safeTokenStore,
      log: (line) => console.log(line),
      startDemo: startEmbeddedDemo,
    });
    const core = launched.core;

    ipcMain.handle(IPC_CALL, async (event: IpcMainInvokeEvent, message: unknown) => {
      if (!isTrustedSender(event.senderFrame, window?.webContents.mainFrame)) {
        return { ok: false, error: { code: 'forbidden', message: 'calls are accepted only from the console window' } };
      }
      const { method, params } = (message ?? {}) as { method?: unknown; params?: unknown };
      try {
        const data = await callWithSaveDialog(String(method), params, {
          dispatch: (m, p) => dispatch(core, m, p),
          ask: (fileName) => askExportPath(dialog, window!, fileName, app.getPath('downloads')),
          start: (p, saveTo) => core.startUptimeExport(p, saveTo),
        });
        return { ok: true, data };
      } catch (error) {
        return { ok: false, error: toWireError(error) };
      }
    });
    const alertNotifier = new DesktopAlertNotifier({
      supported: () => Notification.isSupported(),
      create: (options) => new Notification(options),
      focusWindow: () => {
        if (window?.isMinimized()) window.restore();
        window?.show();
        window?.focus();
      },
      openAlert: (target) => window?.webContents.send(IPC_EVENT, { name: 'openAlert', payload: target }),
    });
    core.on((name, payload) => {
      window?.webContents.send(IPC_EVENT, { name, payload });
      if (name === 'newAlerts') alertNotifier.notify((payload as EventPayload<'newAlerts'>).alerts);
    });

    window = new BrowserWindow(mainWindowOptions(path.join(here, 'preload.cjs'), windowBounds.get()));
    window.once('ready-to-show', () => window?.show());
    window.on('close', () => {
      if (window) windowBounds.set(window.getBounds());
    });
    await window.loadURL(`${APP_ORIGIN}/index.html`);
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !launched) return;
    event.preventDefault();
    quitting = true;
    void launched.stop().finally(() => app.quit());
  });
  app.on('window-all-closed', () => app.quit());
}
