// The Partners view's words: a partner's delivery, most pressing first, and the drawer's "n of m partner apps".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PartnerDelivery } from '../../common/ocpiPartners.js';
import {
  partnerHealth,
  partnerHealthText,
  pointPartnersLine,
} from '../../renderer/src/components/partners/partnerWords.js';

const base: PartnerDelivery = {
  id: 'p1',
  name: 'ChargeFinder',
  state: 'registered',
  versionsUrl: 'https://emsp.example.com/ocpi/versions',
  registeredAt: '2026-01-05T08:00:00.000Z',
  lastSentAt: '2026-01-05T08:00:00.000Z',
  lastAcceptedAt: '2026-01-05T08:00:00.000Z',
  lastRefused: null,
  failingSince: null,
  lastError: null,
  queueDepth: 0,
  accepted: 1,
  refused: 0,
};
const t = (iso: string) => iso.slice(11, 16);

describe('partner delivery in words', () => {
  it('says failing first, then a refusal newer than the last acceptance, then sending, else delivered', () => {
    assert.equal(partnerHealthText(base, t), 'Delivered: accepted by partner');
    const failing = { ...base, failingSince: '2026-01-05T09:30:00.000Z', queueDepth: 3 };
    assert.equal(partnerHealth(failing), 'failing');
    assert.equal(partnerHealthText(failing, t), 'Failing since 09:30');
    const refused = {
      ...base,
      lastRefused: { at: '2026-01-05T08:01:00.000Z', statusCode: 2001, message: 'no' },
    };
    assert.equal(partnerHealthText(refused, t), 'Refused (status_code 2001)');
    assert.equal(partnerHealth({ ...refused, lastAcceptedAt: '2026-01-05T08:02:00.000Z' }), 'delivering');
    assert.equal(partnerHealthText({ ...base, queueDepth: 2 }, t), 'Sending 2');
    assert.equal(partnerHealth({ ...failing, state: 'suspended' }), 'suspended');
    assert.equal(partnerHealthText({ ...base, state: 'invited' }, t), 'Invited: not registered yet');
  });

  it('counts the partner apps that accepted the point', () => {
    const p = (state: 'accepted' | 'failing' | 'refused') => ({
      partnerId: state,
      partnerName: state,
      state,
      statusCode: null,
      answeredAt: null,
      failingSince: null,
    });
    assert.equal(
      pointPartnersLine({ pointId: 'x', partners: [p('accepted'), p('failing'), p('accepted')] }),
      'Shown to drivers in 2 of 3 partner apps',
    );
    assert.equal(
      pointPartnersLine({ pointId: 'x', partners: [p('refused')] }),
      'Shown to drivers in 0 of 1 partner app',
    );
    assert.equal(pointPartnersLine({ pointId: 'x', partners: [] }), 'No roaming partner apps are registered');
  });
});
