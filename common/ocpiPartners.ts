// OCPI roaming partners as an admin sees them in the console: each partner's delivery state, a point's delivery to
// every partner app, and the admin's actions (register, suspend, resume, remove). docs/ocpi.md, "In the console".
import { z } from 'zod';

const isoTime = z.iso.datetime({ offset: true });
const partnerId = z.string().min(1).max(100);

export const OCPI_PARTNER_STATES = ['invited', 'registering', 'registered', 'suspended'] as const;
export type OcpiPartnerState = (typeof OCPI_PARTNER_STATES)[number];

/** One partner's delivery: what was last sent, accepted or refused, whether it is failing, and what waits. */
export const partnerDeliverySchema = z.object({
  id: partnerId,
  name: z.string().max(200),
  state: z.enum(OCPI_PARTNER_STATES),
  /** The versions URL we read its endpoints from (no token: tokens are never shown after entry). */
  versionsUrl: z.string().max(2000).nullable(),
  registeredAt: isoTime.nullable(),
  lastSentAt: isoTime.nullable(),
  lastAcceptedAt: isoTime.nullable(),
  /** The partner's latest refusal, with the OCPI status_code it answered. */
  lastRefused: z
    .object({
      at: isoTime.nullable(),
      statusCode: z.number().int().nullable(),
      message: z.string().max(300).nullable(),
    })
    .nullable(),
  /** Since when pushes to it fail (network, timeout, HTTP error, 3xxx), and the last error; null when it is reached. */
  failingSince: isoTime.nullable(),
  lastError: z.string().max(500).nullable(),
  /** Pushes waiting to be sent (one per changed EVSE or location: coalesced). */
  queueDepth: z.number().int().nonnegative(),
  accepted: z.number().int().nonnegative(),
  refused: z.number().int().nonnegative(),
});
export type PartnerDelivery = z.infer<typeof partnerDeliverySchema>;

export const partnersRequestSchema = z.object({}).strict();
export const partnersReplySchema = z.object({
  /** Our OCPI party is set up (`ocpi party`): without it nobody can register. */
  enabled: z.boolean(),
  partners: z.array(partnerDeliverySchema).max(1000),
});
export type PartnersReply = z.infer<typeof partnersReplySchema>;

export const POINT_PARTNER_STATES = ['accepted', 'refused', 'pending', 'failing', 'notQueued'] as const;
export type PointPartnerState = (typeof POINT_PARTNER_STATES)[number];

export const pointPartnersRequestSchema = z.object({ pointId: z.string().min(1).max(128) }).strict();
export const pointPartnersReplySchema = z.object({
  pointId: z.string(),
  /** One per registered partner: where this point's latest status push stands. */
  partners: z
    .array(
      z.object({
        partnerId: partnerId,
        partnerName: z.string().max(200),
        state: z.enum(POINT_PARTNER_STATES),
        statusCode: z.number().int().nullable(),
        answeredAt: isoTime.nullable(),
        failingSince: isoTime.nullable(),
      }),
    )
    .max(1000),
});
export type PointPartnersReply = z.infer<typeof pointPartnersReplySchema>;

/** Partners whose app shows drivers this point's current status (its latest push accepted). */
export const shownInApps = (reply: PointPartnersReply): number =>
  reply.partners.filter((p) => p.state === 'accepted').length;

/** The longest partner name, versions URL and token A a registration takes (the form's fields take them from here). */
export const PARTNER_LIMITS = { name: 100, versionsUrl: 2000, tokenA: 255 } as const;

/** Only http(s); the backend also refuses private addresses unless allowed (docs/ocpi.md, "The address guard"). */
const httpUrl = z
  .string()
  .trim()
  .max(PARTNER_LIMITS.versionsUrl)
  .pipe(z.url({ protocol: /^https?$/, error: 'an http(s) URL' }));

export const partnerActionRequestSchema = z.discriminatedUnion('action', [
  z
    .object({
      action: z.literal('register'),
      name: z.string().trim().min(1).max(PARTNER_LIMITS.name),
      versionsUrl: httpUrl,
      /** The partner's token A, given out of band: used once for the handshake, never shown or logged. */
      tokenA: z
        .string()
        .min(1)
        .max(PARTNER_LIMITS.tokenA)
        .regex(/^[\x21-\x7e]+$/, 'printable characters without spaces'),
    })
    .strict(),
  z.object({ action: z.enum(['suspend', 'resume', 'remove']), partnerId }).strict(),
]);
export type PartnerActionRequest = z.infer<typeof partnerActionRequestSchema>;
export const partnerActionReplySchema = z.object({ partners: partnersReplySchema });
export type PartnerActionReply = z.infer<typeof partnerActionReplySchema>;
