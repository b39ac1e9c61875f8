// How a page served by the web host proves itself to the console API (electron/host/hostSession.ts is the other
// side). The host sends the page a per-start token once, in the URL's fragment (`/#vb-session=TOKEN`) when the start-up
// secret is traded; the page keeps it in its own origin's localStorage (scheme, host and port: no other port of
// 127.0.0.1 can read it; another tab or a reload of this console finds it there) and offers it with each API
// socket as the subprotocol `vb-session.TOKEN`. A cookie would not do: cookies are sent to every port of the host.
// This is boot-chunk code: no imports that run code of their own.

export const API_PROTOCOL = 'voltboard';
export const SESSION_PROTOCOL_PREFIX = 'vb-session.';
export const SESSION_FRAGMENT_KEY = 'vb-session';
const STORAGE_KEY = 'voltboard.hostSession';

/** What this module needs of a window (a stand-in in unit tests). */
export interface SessionWindow {
  location: { hash: string; pathname: string; search: string };
  history?: { replaceState(data: unknown, unused: string, url?: string): void };
  localStorage?: { getItem(key: string): string | null; setItem(key: string, value: string): void };
}

let remembered: string | null = null;

const TOKEN = /^[A-Za-z0-9_-]{16,200}$/;

/**
 * The page's session token: taken from the fragment when the host just sent it (and the fragment then removed from
 * the address bar and history), else the one this origin kept, else the one this page was given. Null when there is none (the host then refuses the
 * socket, and the page says to open the printed link).
 */
export function hostSessionToken(
  win: SessionWindow | undefined = typeof window === 'undefined' ? undefined : window,
): string | null {
  if (!win) return remembered;
  const fromFragment = new URLSearchParams(win.location.hash.replace(/^#/, '')).get(SESSION_FRAGMENT_KEY);
  if (fromFragment && TOKEN.test(fromFragment)) {
    remembered = fromFragment;
    try {
      win.localStorage?.setItem(STORAGE_KEY, fromFragment);
    } catch {
      // storage refused (private mode, quota): the token lives in this page only; a reload asks for the link again
    }
    try {
      win.history?.replaceState(null, '', win.location.pathname + win.location.search);
    } catch {
      // not fatal: the fragment stays in the address bar of this tab only
    }
    return fromFragment;
  }
  // Storage first: after the host was restarted and its new link opened in another tab, this tab's socket
  // reconnects with the new token.
  try {
    const kept = win.localStorage?.getItem(STORAGE_KEY) ?? null;
    if (kept && TOKEN.test(kept)) remembered = kept;
  } catch {
    // no storage: the token this page was given, if any
  }
  return remembered;
}

/** The subprotocols to offer on the API socket. */
export function hostSocketProtocols(win?: SessionWindow): string[] {
  const token = hostSessionToken(win);
  return token ? [API_PROTOCOL, SESSION_PROTOCOL_PREFIX + token] : [API_PROTOCOL];
}

/** For unit tests: forget the token held in memory. */
export function forgetHostSession(): void {
  remembered = null;
}
