// The desktop window's security policy, as plain data and pure functions (no electron import), so that a unit
// test can check it on machines without Electron.
import path from 'node:path';
import { contentSecurityPolicy } from '../../node/csp.js';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://voltboard`;
export const IPC_CALL = 'voltboard:call';
export const IPC_EVENT = 'voltboard:event';

export const RENDERER_CSP = contentSecurityPolicy();

export interface WindowBounds {
  width: number;
  height: number;
  x?: number;
  y?: number;
}

export function mainWindowOptions(preloadPath: string, bounds: WindowBounds) {
  return {
    ...bounds,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#111418',
    title: 'Voltboard',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      enableBlinkFeatures: undefined,
      spellcheck: false,
      devTools: process.env.VOLTBOARD_DEVTOOLS === '1',
    },
  } as const;
}

/** Only our own pages, from our own protocol. */
export function isOwnUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** Maps an app:// request to a file inside the renderer folder, or null when it would leave it. */
export function fileForAppUrl(url: string, rendererDir: string): string | null {
  if (!isOwnUrl(url)) return null;
  const pathname = decodeURIComponent(new URL(url).pathname);
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const file = path.resolve(rendererDir, relative);
  return file.startsWith(path.resolve(rendererDir) + path.sep) ? file : null;
}

// ---- the handlers main.ts installs, written against the small part of Electron's API they use (testable) ----

/** What of a webContents the policy touches. */
export interface ContentsLike {
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: { preventDefault(): void }, url: string) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** Every web contents: navigation only within our own pages, no new windows, no webviews. */
export function installContentsPolicy(contents: ContentsLike): void {
  const stayHome = (event: { preventDefault(): void }, url: string) => {
    if (!isOwnUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** What of a session the policy touches. */
export interface SessionLike {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void;
}

/** Every permission (camera, notifications, geolocation, …) is denied, asked or merely checked. */
export function installSessionPolicy(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** IPC is accepted only from the main frame of our own window, showing our own page. */
export function isTrustedSender(
  senderFrame: { url: string } | null | undefined,
  mainFrame: { url: string } | null | undefined,
): boolean {
  return !!senderFrame && !!mainFrame && senderFrame === mainFrame && isOwnUrl(senderFrame.url);
}
