// The details drawer's line for admins: "Shown to drivers in 2 of 3 partner apps", each partner's state on expand.
// Read when the drawer opens, when the point changes, and every 5 s while it is open.
import type { PointPartnerState } from '../../../../common/ocpiPartners.js';
import type { HostApi } from '../../api/index.js';
import { fullTime } from '../../util/time.js';
import { IconAlert, IconCheck, IconClock, IconMinusCircle, IconQuestion } from '../icons.js';
import { PARTNERS_REFRESH_MS } from './PartnersPanel.js';
import { POINT_PARTNER_WORDS, pointPartnersLine } from './partnerWords.js';
import { usePolled } from './usePolled.js';
import './PartnersPanel.css';

const ICONS: Record<PointPartnerState, typeof IconCheck> = {
  accepted: IconCheck,
  refused: IconMinusCircle,
  pending: IconClock,
  failing: IconAlert,
  notQueued: IconQuestion,
};

export function DrawerPartners({ api, pointId, seq }: { api: HostApi; pointId: string; seq: number }) {
  const polled = usePolled(() => api.call('getPointPartners', { pointId }), PARTNERS_REFRESH_MS, `${pointId}:${seq}`);
  const reply = polled.data?.pointId === pointId ? polled.data : null;
  return (
    <section className="drawer-partners" data-testid="drawer-partners">
      <h3>Partner apps</h3>
      {polled.error && <p className="notice notice-error">Could not read partner delivery: {polled.error}</p>}
      {!reply && !polled.error && <p className="muted">Loading…</p>}
      {reply && reply.partners.length === 0 && <p className="muted">{pointPartnersLine(reply)}.</p>}
      {reply && reply.partners.length > 0 && (
        <details>
          <summary data-testid="drawer-partners-line">{pointPartnersLine(reply)}</summary>
          <ul>
            {reply.partners.map((p) => {
              const Icon = ICONS[p.state];
              return (
                <li
                  key={p.partnerId}
                  data-state={p.state}
                  title={p.answeredAt ? `Answered ${fullTime(p.answeredAt)}` : undefined}
                >
                  <span className={`pp-${p.state}`}>
                    <Icon />
                  </span>
                  <span>
                    {p.partnerName}: {POINT_PARTNER_WORDS[p.state]}
                    {p.state === 'refused' && p.statusCode ? ` (status_code ${p.statusCode})` : ''}
                    {p.state === 'failing' && p.failingSince ? ` since ${fullTime(p.failingSince)}` : ''}
                  </span>
                </li>
              );
            })}
          </ul>
        </details>
      )}
    </section>
  );
}
