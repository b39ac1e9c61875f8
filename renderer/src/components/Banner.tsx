// The top banner: is this console live, since when in sync, how many edits wait, who is signed in,
// and whether this is the demo network. Outbox and conflicts open from here.
import type { ReactNode } from 'react';
import type { ConnectionState } from '../../../common/consoleApi.js';
import type { TransportStatus } from '../api/transport.js';
import { syncLine } from '../model/labels.js';
import type { PlannedAttention } from '../model/plannedAttention.js';
import { clockTime, fullTime } from '../util/time.js';
import { IconClock, IconInbox, IconMonitor, IconMoon, IconSplit, IconSun } from './icons.js';
import { PlannedAttentionBadge } from './planned/PlannedAttentionBadge.js';

import type { ThemeChoice } from '../theme.js';
import './Banner.css';
export type { ThemeChoice };

const STATE_WORDS: Record<ConnectionState['state'], string> = {
  live: 'Live',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  signedOut: 'Signed out · read-only',
};

export function Banner({
  connection,
  transport,
  lastSyncAt,
  nowMs,
  theme,
  resolvedTheme,
  conflictCount,
  loading,
  onToggleTheme,
  onOpenOutbox,
  onOpenConflicts,
  plannedCount,
  plannedAttention,
  onOpenPlanned,
  onSignIn,
  onSignOut,
}: {
  connection: ConnectionState | null;
  transport: TransportStatus;
  lastSyncAt: string | null;
  nowMs: number;
  theme: ThemeChoice;
  resolvedTheme: 'light' | 'dark';
  conflictCount: number;
  loading: boolean;
  onToggleTheme(): void;
  onOpenOutbox(): void;
  onOpenConflicts(): void;
  /** Maintenance windows running or upcoming (the Planned panel's button). */
  plannedCount?: number;
  /** This console's window requests refused or answered later, waiting in the Planned panel until dismissed. */
  plannedAttention?: PlannedAttention;
  onOpenPlanned?(): void;
  onSignIn(): void;
  onSignOut(): void;
}) {
  const hostDown = transport.state !== 'open';
  const state = connection?.state ?? 'connecting';
  const queued = connection?.queued ?? 0;
  const conflicts = Math.max(conflictCount, connection?.conflicts ?? 0);
  const sync = lastSyncAt ?? connection?.lastSyncAt ?? null;
  const session = connection?.session ?? null;
  const ThemeIcon = theme === 'system' ? IconMonitor : resolvedTheme === 'dark' ? IconMoon : IconSun;
  const nextTheme = resolvedTheme === 'dark' ? 'light' : 'dark';
  const shownState = hostDown ? 'host' : state;
  // "Live" needs no age: an age shows only when this console (or this page) is behind.
  const syncWords = syncLine(state, !hostDown, sync, nowMs);

  return (
    <header
      className={`banner banner-${shownState}`}
      data-testid="connection-banner"
      data-state={state}
      data-link={transport.state}
    >
      <div className="brand" aria-hidden="true">
        <svg width="20" height="20" viewBox="0 0 32 32">
          <rect width="32" height="32" rx="7" className="brand-bg" />
          <path d="M18 3 7 18h7l-2 11 11-15h-7z" className="brand-bolt" />
        </svg>
        <span>Voltboard</span>
      </div>

      <div className="conn-state" role="status" aria-live="polite">
        <span className={`state-pill pill-${shownState}`}>
          <span className="pill-dot" aria-hidden="true" />
          {hostDown
            ? transport.state === 'connecting'
              ? 'Connecting to this console…'
              : 'Console host unreachable'
            : STATE_WORDS[state]}
        </span>
        {hostDown && transport.error ? <span className="banner-detail">{transport.error}; retrying</span> : null}
        {!hostDown && state !== 'live' && connection?.error ? (
          <span className="banner-detail">{connection.error}</span>
        ) : null}
        {syncWords ? (
          <span
            className="banner-detail"
            title={sync ? `Last in sync with the backend at ${fullTime(sync)}` : undefined}
            data-testid="sync-line"
          >
            {syncWords}
          </span>
        ) : null}
        {loading && <span className="banner-detail">loading…</span>}
      </div>

      <div className="banner-actions">
        <BannerButton
          highlight={queued > 0 ? 'has-items' : null}
          onClick={onOpenOutbox}
          testId="open-outbox"
          title="Edits on this computer not yet taken by the backend"
          icon={<IconInbox />}
        >
          {queued > 0 ? `${queued} edit${queued === 1 ? '' : 's'} queued` : 'Outbox'}
        </BannerButton>
        {onOpenPlanned && (
          <BannerButton
            highlight={plannedCount ? 'has-items' : null}
            onClick={onOpenPlanned}
            testId="open-planned"
            title="Planned maintenance windows: running and upcoming"
            icon={<IconClock />}
            data={plannedCount ?? 0}
          >
            {plannedCount ? `Planned ${plannedCount}` : 'Planned'}
            {plannedAttention && <PlannedAttentionBadge attention={plannedAttention} />}
          </BannerButton>
        )}
        <BannerButton
          highlight={conflicts > 0 ? 'has-conflicts' : null}
          onClick={onOpenConflicts}
          testId="open-conflicts"
          title="Edits that clashed with someone else's change"
          icon={<IconSplit />}
        >
          {conflicts > 0 ? `${conflicts} conflict${conflicts === 1 ? '' : 's'}` : 'Conflicts'}
        </BannerButton>
        {connection?.demo && (
          <span
            className="demo-badge"
            data-testid="demo-badge"
            title="This console runs its own demo backend with simulated stations and signed in to it by itself as the demo operator"
          >
            {session ? `Demo network · signed in as the demo ${session.role}` : 'Demo network'}
          </span>
        )}
        {session ? (
          <span className="user" title={`Signed in until ${clockTime(session.expiresAt)}`}>
            <span className="user-name">{session.username}</span>
            <span className="user-role">{session.role}</span>
            <button type="button" className="link-btn" onClick={onSignOut}>
              Sign out
            </button>
          </span>
        ) : state === 'signedOut' ? (
          <button type="button" className="btn btn-small btn-primary" onClick={onSignIn} data-testid="sign-in">
            Sign in
          </button>
        ) : null}
        <button
          type="button"
          className="icon-btn theme-btn"
          onClick={onToggleTheme}
          data-testid="theme-toggle"
          aria-label={`Switch to ${nextTheme} theme`}
          title={`Theme: ${theme === 'system' ? `system (${resolvedTheme})` : theme}. Switch to ${nextTheme}.`}
        >
          <ThemeIcon size={16} />
        </button>
      </div>
    </header>
  );
}

/** A banner button that opens a panel, marked (by a class) when the panel has something in it. */
function BannerButton({
  highlight,
  onClick,
  testId,
  title,
  icon,
  data,
  children,
}: {
  /** data-count, where the button shows a count. */
  data?: number;
  highlight: string | null;
  onClick(): void;
  testId: string;
  title: string;
  icon: ReactNode;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={`banner-btn${highlight ? ` ${highlight}` : ''}`}
      onClick={onClick}
      data-testid={testId}
      data-count={data}
      title={title}
    >
      {icon}
      {children}
    </button>
  );
}
