import { useRef, useState } from 'react';
import type { HostApi } from '../api/index.js';
import { IconX } from './icons.js';
import { useFocusTrap } from './useDialogFocus.js';

/**
 * The sign-in screen: shown by itself when the console is signed out (never signed in, signed out, or the backend
 * ended the session). Until someone signs in the console is read-only; queued edits wait in the outbox.
 * The password goes to the console core only; the core keeps the token (Electron: safeStorage; web host: memory).
 */
export function SignIn({
  api,
  defaultUser,
  reason = null,
  backendUrl = null,
  onClose,
}: {
  api: HostApi;
  defaultUser: string | null;
  /** Why the console is signed out, shown above the form. */
  reason?: string | null;
  backendUrl?: string | null;
  onClose(): void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [username, setUsername] = useState(defaultUser ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useFocusTrap(ref);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.call('signIn', { username, password });
      setPassword('');
      api.call('updateSettings', { username }).catch(() => undefined);
      onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="modal-backdrop">
      <div
        ref={ref}
        className="dialog signin"
        role="dialog"
        aria-modal="true"
        aria-labelledby="signin-title"
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
        }}
      >
        <header className="dialog-head">
          <h2 id="signin-title">Sign in</h2>
          <button type="button" className="icon-btn" onClick={onClose} aria-label="Close">
            <IconX />
          </button>
        </header>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
          data-testid="sign-in-form"
        >
          {reason && (
            <p className="notice notice-warn" role="status" data-testid="sign-in-reason">
              {reason}
            </p>
          )}
          {backendUrl && <p className="signin-backend">Backend: {backendUrl}</p>}
          <div className="field">
            <label htmlFor="signin-user">User name</label>
            <input
              id="signin-user"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              autoComplete="username"
              required
            />
          </div>
          <div className="field">
            <label htmlFor="signin-pass">Password</label>
            <input
              id="signin-pass"
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="current-password"
              required
            />
          </div>
          {error && (
            <p className="notice notice-error" role="alert" data-testid="sign-in-error">
              {error}
            </p>
          )}
          <footer className="dialog-foot">
            <button
              type="button"
              className="btn"
              onClick={onClose}
              title="Stay signed out: the console stays read-only"
            >
              Stay read-only
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy || !username || !password}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </footer>
        </form>
      </div>
    </div>
  );
}
