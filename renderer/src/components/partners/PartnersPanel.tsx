// The Partners view (admins): each OCPI roaming partner with how delivery to it stands (state, last sent, accepted,
// refused with its status_code, failing since, queue), and registering, suspending, resuming and removing partners.
// Read when opened and every 5 s while open (usePolled.ts says why). Tokens are typed once and never shown again.
import { useState, type FormEvent } from 'react';
import { PARTNER_LIMITS, type PartnerDelivery, type PartnersReply } from '../../../../common/ocpiPartners.js';
import type { HostApi } from '../../api/index.js';
import { ago, fullTime } from '../../util/time.js';
import { SidePanel } from '../SidePanel.js';
import { IconAlert, IconBan, IconCheck, IconClock, IconHourglass, IconMinusCircle } from '../icons.js';
import { partnerHealth, partnerHealthText, type PartnerHealth } from './partnerWords.js';
import { usePolled } from './usePolled.js';
import './PartnersPanel.css';

export const PARTNERS_REFRESH_MS = 5_000;

const HEALTH_ICONS: Record<PartnerHealth, typeof IconCheck> = {
  delivering: IconCheck,
  sending: IconClock,
  waiting: IconHourglass,
  suspended: IconBan,
  refused: IconMinusCircle,
  failing: IconAlert,
};

export function PartnersPanel({ api, nowMs, onClose }: { api: HostApi; nowMs: number; onClose(): void }) {
  const polled = usePolled(() => api.call('getPartners', {}), PARTNERS_REFRESH_MS, null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const act = async (id: string, run: () => Promise<{ partners: PartnersReply }>) => {
    setBusy(id);
    setActionError(null);
    try {
      polled.set((await run()).partners);
      return true;
    } catch (e) {
      setActionError(e instanceof Error ? e.message : String(e));
      return false;
    } finally {
      setBusy(null);
    }
  };
  const reply = polled.data;

  return (
    <SidePanel
      className="side-panel partners-panel"
      labelledBy="partners-title"
      testId="partners-panel"
      head={<h2 id="partners-title">Roaming partners</h2>}
      closeLabel="Close roaming partners"
      onClose={onClose}
    >
      <p className="muted small">
        The eMSP apps drivers use (OCPI 2.2.1). Each status change is sent to every registered partner; this view is
        read every {PARTNERS_REFRESH_MS / 1000} s.
      </p>
      {polled.error && <p className="notice notice-error">Could not read the partners: {polled.error}</p>}
      {actionError && (
        <p className="notice notice-error" role="alert" data-testid="partners-error">
          {actionError}
        </p>
      )}
      {reply && !reply.enabled && (
        <p className="notice notice-warn">
          OCPI is not set up on this backend yet: an administrator sets our party with{' '}
          <code>npm run backend -- ocpi party …</code> (docs/ocpi.md).
        </p>
      )}
      {!reply && !polled.error && <p className="muted">Loading…</p>}
      {reply && reply.partners.length === 0 && <p className="muted">No partners yet.</p>}
      {reply && reply.partners.length > 0 && (
        <ul className="partner-list">
          {reply.partners.map((p) => (
            <PartnerCard
              key={p.id}
              partner={p}
              nowMs={nowMs}
              busy={busy === p.id}
              onAction={(action) => act(p.id, () => api.call('partnerAction', { action, partnerId: p.id }))}
            />
          ))}
        </ul>
      )}
      {reply?.enabled && (
        <RegisterForm
          busy={busy === 'register'}
          onRegister={(name, versionsUrl, tokenA) =>
            act('register', () => api.call('partnerAction', { action: 'register', name, versionsUrl, tokenA }))
          }
        />
      )}
    </SidePanel>
  );
}

function PartnerCard({
  partner: p,
  nowMs,
  busy,
  onAction,
}: {
  partner: PartnerDelivery;
  nowMs: number;
  busy: boolean;
  onAction(action: 'suspend' | 'resume' | 'remove'): Promise<boolean>;
}) {
  const [confirming, setConfirming] = useState(false);
  const health = partnerHealth(p);
  const Icon = HEALTH_ICONS[health];
  const when = (iso: string | null) => (iso ? `${fullTime(iso)} (${ago(iso, nowMs)})` : 'never');
  return (
    <li className="partner-card" data-testid={`partner-${p.id}`} data-health={health}>
      <div className="partner-head">
        <strong className="partner-name">{p.name}</strong>
        <span className={`partner-health partner-${health}`} data-testid="partner-health">
          <Icon /> {partnerHealthText(p, (iso) => when(iso))}
        </span>
      </div>
      <dl className="partner-facts">
        <dt>State</dt>
        <dd>{p.state}</dd>
        <dt>Last sent</dt>
        <dd>{when(p.lastSentAt)}</dd>
        <dt>Accepted by partner</dt>
        <dd>
          {when(p.lastAcceptedAt)} · {p.accepted} {p.accepted === 1 ? 'item' : 'items'} current there
        </dd>
        <dt>Refused</dt>
        <dd>
          {p.lastRefused
            ? `status_code ${p.lastRefused.statusCode ?? '?'}${p.lastRefused.message ? ` “${p.lastRefused.message}”` : ''}, ${when(p.lastRefused.at)} · ${p.refused} still refused`
            : 'never'}
        </dd>
        {p.failingSince && (
          <>
            <dt>Failing since</dt>
            <dd>
              {when(p.failingSince)}
              {p.lastError && <div className="small">{p.lastError}</div>}
            </dd>
          </>
        )}
        <dt>Queue</dt>
        <dd data-testid="partner-queue">{p.queueDepth === 0 ? 'empty' : `${p.queueDepth} waiting`}</dd>
        {p.versionsUrl && (
          <>
            <dt>Versions URL</dt>
            <dd className="partner-url">{p.versionsUrl}</dd>
          </>
        )}
      </dl>
      <div className="partner-actions">
        {p.state === 'registered' && (
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => void onAction('suspend')}>
            Suspend
          </button>
        )}
        {p.state === 'suspended' && (
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => void onAction('resume')}>
            Resume
          </button>
        )}
        {!confirming ? (
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => setConfirming(true)}>
            Remove…
          </button>
        ) : (
          <span className="partner-confirm" role="group" aria-label={`Remove ${p.name}?`}>
            Remove {p.name}? Its tokens stop working and nothing more is sent.{' '}
            <button
              type="button"
              className="btn btn-small btn-danger"
              disabled={busy}
              onClick={() => void onAction('remove').then(() => setConfirming(false))}
            >
              Remove
            </button>{' '}
            <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </span>
        )}
      </div>
    </li>
  );
}

function RegisterForm({
  busy,
  onRegister,
}: {
  busy: boolean;
  onRegister(name: string, versionsUrl: string, tokenA: string): Promise<boolean>;
}) {
  const [name, setName] = useState('');
  const [versionsUrl, setVersionsUrl] = useState('');
  const [tokenA, setTokenA] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const token = tokenA;
    // The token is not kept in the form once sent, whatever the answer.
    setTokenA('');
    void onRegister(name, versionsUrl, token).then((ok) => {
      if (!ok) return;
      setName('');
      setVersionsUrl('');
    });
  };
  return (
    <form className="partner-register" onSubmit={submit} data-testid="partner-register">
      <h3>Register with a partner</h3>
      <p className="muted small">With the versions URL and token A the partner gave you out of band.</p>
      <label className="field">
        <span>Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={PARTNER_LIMITS.name} required />
      </label>
      <label className="field">
        <span>Versions URL</span>
        <input
          inputMode="url"
          spellCheck={false}
          value={versionsUrl}
          onChange={(e) => setVersionsUrl(e.target.value)}
          placeholder="https://emsp.example.com/ocpi/versions"
          maxLength={PARTNER_LIMITS.versionsUrl}
          required
        />
      </label>
      <label className="field">
        <span>Token A</span>
        <input
          type="password"
          autoComplete="off"
          value={tokenA}
          onChange={(e) => setTokenA(e.target.value)}
          maxLength={PARTNER_LIMITS.tokenA}
          required
        />
      </label>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? 'Registering…' : 'Register'}
      </button>
    </form>
  );
}
