// What a roaming partner's delivery and a point's delivery to partner apps say in words (pure: tested on its own).
import type { PartnerDelivery, PointPartnersReply, PointPartnerState } from '../../../../common/ocpiPartners.js';

/** How a partner's delivery stands, most pressing first: its word class picks the colour and icon. */
export type PartnerHealth = 'failing' | 'refused' | 'suspended' | 'waiting' | 'sending' | 'delivering';

export function partnerHealth(p: PartnerDelivery): PartnerHealth {
  if (p.state === 'suspended') return 'suspended';
  if (p.state !== 'registered') return 'waiting';
  if (p.failingSince) return 'failing';
  if (p.lastRefused?.at && (!p.lastAcceptedAt || p.lastRefused.at >= p.lastAcceptedAt)) return 'refused';
  if (p.queueDepth > 0) return 'sending';
  return 'delivering';
}

export function partnerHealthText(p: PartnerDelivery, time: (iso: string) => string): string {
  switch (partnerHealth(p)) {
    case 'failing':
      return `Failing since ${time(p.failingSince!)}`;
    case 'refused':
      return `Refused${p.lastRefused?.statusCode ? ` (status_code ${p.lastRefused.statusCode})` : ''}`;
    case 'suspended':
      return 'Suspended: nothing is sent';
    case 'waiting':
      return p.state === 'invited' ? 'Invited: not registered yet' : 'Registering';
    case 'sending':
      return `Sending ${p.queueDepth}`;
    case 'delivering':
      return 'Delivered: accepted by partner';
  }
}

export const POINT_PARTNER_WORDS: Record<PointPartnerState, string> = {
  accepted: 'shown (accepted)',
  refused: 'refused',
  pending: 'being sent',
  failing: 'not reached: partner failing',
  notQueued: 'nothing sent yet',
};

/** "Shown to drivers in 2 of 3 partner apps" (the partners that accepted this point's latest status). */
export function pointPartnersLine(reply: PointPartnersReply): string {
  const total = reply.partners.length;
  if (total === 0) return 'No roaming partner apps are registered';
  const shown = reply.partners.filter((p) => p.state === 'accepted').length;
  return `Shown to drivers in ${shown} of ${total} partner app${total === 1 ? '' : 's'}`;
}
