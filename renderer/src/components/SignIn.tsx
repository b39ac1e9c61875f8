import { useRef, useState } from 'react';
import type { HostApi } from '../api/index.js';
import { IconX } from './icons.js';
import { useFocusTrap } from './useDialogFocus.js';

export function SignIn({ api, defaultUser, onClose }: { api: HostApi; defaultUser: string | null; onClose(): void }) {
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
          <h2 id="signin-title">Sign in to the backend</h2>
          <button type="button" className="icon-btn" onClick={onClose} aria-label="Close">
            <IconX />
          </button>
        </header>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div className="field">
            <label htmlFor="signin-user">User name</label>
            <input id="signin-user" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" required />
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
          {error && <p className="notice notice-error">{error}</p>}
          <footer className="dialog-foot">
            <button type="button" className="btn" onClick={onClose}>
              Cancel
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
