// The consoles' OCPI partner requests (admins only): each partner's delivery, a point's delivery to every partner
// app, and registering, suspending, resuming and removing partners through the same code as the CLI (ocpi/admin.ts).
import { roleAllows } from '../../common/model.js';
import type {
  PartnerActionReply,
  PartnerActionRequest,
  PartnerDelivery,
  PartnersReply,
  PointPartnersReply,
} from '../../common/ocpiPartners.js';
import type { Ack, SessionInfo } from '../../common/protocol.js';
import type { Clock } from '../../common/clock.js';
import { OcpiAdminError, registerPartner, removePartner, setSuspended } from '../ocpi/admin.js';
import type { Ocpi } from '../ocpi/index.js';
import { RegistrationError } from '../ocpi/registration.js';
import { readParty } from '../ocpi/settings.js';
import { fail } from './validation.js';

export interface PartnerRequests {
  list(session: SessionInfo): Ack<PartnersReply>;
  point(req: { pointId: string }, session: SessionInfo): Ack<PointPartnersReply>;
  act(req: PartnerActionRequest, session: SessionInfo): Promise<Ack<PartnerActionReply>>;
}

const refusedRole = (session: SessionInfo) =>
  fail('forbidden', `a ${session.role} may not see or manage roaming partners: admins only`);

export function partnerRequests(ocpi: Ocpi, clock: Clock, log: (line: string) => void): PartnerRequests {
  const { repo } = ocpi;
  const at = () => new Date(clock.now()).toISOString();
  const list = (): PartnersReply => ({
    enabled: readParty(repo) !== null,
    partners: repo
      .partners()
      .filter((p) => p.state !== 'removed')
      .map((p): PartnerDelivery => {
        const counts = repo.counts(p.id);
        const last = repo.lastDelivery(p.id);
        return {
          id: p.id,
          name: p.name,
          state: p.state as PartnerDelivery['state'],
          versionsUrl: p.versions_url,
          registeredAt: p.registered_at,
          lastSentAt: last.lastSent,
          lastAcceptedAt: last.lastAccepted,
          lastRefused: last.lastRefused,
          failingSince: p.failing_since,
          lastError: p.last_error?.slice(0, 500) ?? null,
          queueDepth: counts.pending,
          accepted: counts.accepted,
          refused: counts.refused,
        };
      }),
  });
  return {
    list: (session) => (roleAllows(session.role, 'manageUsers') ? { ok: true, data: list() } : refusedRole(session)),
    point: (req, session) => {
      if (!roleAllows(session.role, 'manageUsers')) return refusedRole(session);
      const partners = repo.pointDelivery(req.pointId).map((d) => ({
        partnerId: d.partnerId,
        partnerName: d.partnerName,
        state: d.state === 'pending' && d.failingSince ? ('failing' as const) : d.state,
        statusCode: d.statusCode,
        answeredAt: d.answeredAt,
        failingSince: d.failingSince,
      }));
      return { ok: true, data: { pointId: req.pointId, partners } };
    },
    act: async (req, session) => {
      if (!roleAllows(session.role, 'manageUsers')) return refusedRole(session);
      try {
        if (req.action === 'register') {
          const partner = await registerPartner(repo, {
            name: req.name,
            versionsUrl: req.versionsUrl,
            tokenA: req.tokenA,
            backendUrl: ocpi.backendUrl(),
            guard: ocpi.urlGuard,
            at,
          });
          log(`ocpi: ${session.username} registered with partner ${partner.name} (${partner.id})`);
        } else if (req.action === 'remove') {
          removePartner(repo, req.partnerId);
          log(`ocpi: ${session.username} removed partner ${req.partnerId}`);
        } else {
          setSuspended(repo, req.partnerId, req.action === 'suspend');
          log(`ocpi: ${session.username} ${req.action === 'suspend' ? 'suspended' : 'resumed'} ${req.partnerId}`);
        }
      } catch (error) {
        if (error instanceof OcpiAdminError) return fail(error.code, error.message);
        if (error instanceof RegistrationError) return fail('invalid', `registration failed: ${error.message}`);
        throw error;
      }
      ocpi.pusher.kick();
      return { ok: true, data: { partners: list() } };
    },
  };
}
