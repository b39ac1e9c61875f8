// OCPI 2.2.1 objects as zod schemas: what we send is built to these types and what partners send is checked with them.
// Only the modules a CPO needs to publish locations: versions, credentials, locations (docs/ocpi.md).
import { z } from 'zod';

export const OCPI_VERSION = '2.2.1';

/** OCPI status codes (status_codes chapter): 1xxx success, 2xxx client errors, 3xxx server errors. */
export const OCPI_STATUS = {
  success: 1000,
  clientError: 2000,
  invalidParameters: 2001,
  notEnoughInformation: 2002,
  unknownLocation: 2003,
  serverError: 3000,
  unableToUseClientApi: 3001,
  unsupportedVersion: 3002,
  noMatchingEndpoints: 3003,
} as const;

/** DateTime: RFC 3339 in UTC, as OCPI's types chapter asks (we always send the Z form). */
export const ocpiDateTime = z.iso.datetime({ offset: true });
const ciString = (max: number) => z.string().min(1).max(max);
/** Printable ASCII without whitespace (U+0021–U+007E), as the credentials object's token must be. */
export const credentialsTokenSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII, no spaces');

export const ROLE_VALUES = ['CPO', 'EMSP', 'HUB', 'NAP', 'NSP', 'OTHER', 'SCSP'] as const;

export const businessDetailsSchema = z.object({
  name: z.string().min(1).max(100),
  website: z.url().optional(),
  logo: z.unknown().optional(),
});

export const credentialsRoleSchema = z.object({
  role: z.enum(ROLE_VALUES),
  business_details: businessDetailsSchema,
  party_id: ciString(3),
  country_code: z.string().length(2),
});
export type CredentialsRole = z.infer<typeof credentialsRoleSchema>;

export const credentialsSchema = z.object({
  token: credentialsTokenSchema,
  url: z.url({ protocol: /^https?$/ }),
  roles: z.array(credentialsRoleSchema).min(1).max(20),
});
export type Credentials = z.infer<typeof credentialsSchema>;

export const versionSchema = z.object({ version: z.string().min(1).max(10), url: z.url() });
export const versionsListSchema = z.array(versionSchema).max(50);

export const MODULE_IDS = [
  'cdrs',
  'chargingprofiles',
  'commands',
  'credentials',
  'hubclientinfo',
  'locations',
  'sessions',
  'tariffs',
  'tokens',
] as const;
export const endpointSchema = z.object({
  // Unknown module identifiers are allowed (custom modules exist); only the ones we use are looked up.
  identifier: z.string().min(1).max(50),
  role: z.enum(['SENDER', 'RECEIVER']),
  url: z.url(),
});
export type Endpoint = z.infer<typeof endpointSchema>;
export const versionDetailsSchema = z.object({
  version: z.string().min(1).max(10),
  endpoints: z.array(endpointSchema).max(100),
});
export type VersionDetails = z.infer<typeof versionDetailsSchema>;

/** The response format every OCPI answer is wrapped in. */
export const envelopeSchema = z.object({
  data: z.unknown().optional(),
  status_code: z.number().int().min(1000).max(9999),
  status_message: z.string().optional(),
  timestamp: ocpiDateTime,
});
export type Envelope = z.infer<typeof envelopeSchema>;

export const EVSE_STATUSES = [
  'AVAILABLE',
  'BLOCKED',
  'CHARGING',
  'INOPERATIVE',
  'OUTOFORDER',
  'PLANNED',
  'REMOVED',
  'RESERVED',
  'UNKNOWN',
] as const;
export type EvseStatus = (typeof EVSE_STATUSES)[number];

export const CONNECTOR_STANDARDS = ['IEC_62196_T2', 'IEC_62196_T2_COMBO', 'CHADEMO'] as const;
export const connectorObjectSchema = z.object({
  id: ciString(36),
  standard: z.enum(CONNECTOR_STANDARDS),
  format: z.enum(['SOCKET', 'CABLE']),
  power_type: z.enum(['AC_1_PHASE', 'AC_2_PHASE', 'AC_2_PHASE_SPLIT', 'AC_3_PHASE', 'DC']),
  max_voltage: z.number().int().positive(),
  max_amperage: z.number().int().positive(),
  max_electric_power: z.number().int().positive().optional(),
  last_updated: ocpiDateTime,
});
export type ConnectorObject = z.infer<typeof connectorObjectSchema>;

export const statusScheduleSchema = z.object({
  period_begin: ocpiDateTime,
  period_end: ocpiDateTime.optional(),
  status: z.enum(EVSE_STATUSES),
});
export type StatusSchedule = z.infer<typeof statusScheduleSchema>;

export const evseObjectSchema = z.object({
  uid: ciString(36),
  status: z.enum(EVSE_STATUSES),
  status_schedule: z.array(statusScheduleSchema).optional(),
  connectors: z.array(connectorObjectSchema).min(1),
  physical_reference: z.string().max(16).optional(),
  last_updated: ocpiDateTime,
});
export type EvseObject = z.infer<typeof evseObjectSchema>;

const coordinate = (re: RegExp) => z.string().max(11).regex(re);
export const geoLocationSchema = z.object({
  latitude: coordinate(/^-?[0-9]{1,2}\.[0-9]{5,7}$/),
  longitude: coordinate(/^-?[0-9]{1,3}\.[0-9]{5,7}$/),
});

export const locationObjectSchema = z.object({
  country_code: z.string().length(2),
  party_id: ciString(3),
  id: ciString(36),
  publish: z.boolean(),
  name: z.string().max(255).optional(),
  address: z.string().max(45),
  city: z.string().max(45),
  postal_code: z.string().max(10).optional(),
  country: z.string().length(3),
  coordinates: geoLocationSchema,
  evses: z.array(evseObjectSchema).optional(),
  operator: businessDetailsSchema.optional(),
  time_zone: z.string().min(1).max(255),
  last_updated: ocpiDateTime,
});
export type LocationObject = z.infer<typeof locationObjectSchema>;

/** The PATCH we send on a status change: only what changed, and last_updated as the spec requires. */
export const evseStatusPatchSchema = z.object({ status: z.enum(EVSE_STATUSES), last_updated: ocpiDateTime });
export type EvseStatusPatch = z.infer<typeof evseStatusPatchSchema>;

/** Query of the Locations GET list (pagination chapter). Invalid values are refused with 2001. */
export const locationsQuerySchema = z.object({
  date_from: ocpiDateTime.optional(),
  date_to: ocpiDateTime.optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(1_000_000).optional(),
});

/** What we need to know about our own party to publish: set with `npm run backend -- ocpi party …`. */
export const partySettingsSchema = z.object({
  countryCode: z.string().regex(/^[A-Z]{2}$/, 'two capital letters (ISO 3166-1 alpha-2)'),
  partyId: z.string().regex(/^[A-Z0-9]{3}$/, 'three capital letters or digits'),
  name: z.string().min(1).max(100),
  /** The URL partners reach this backend at (its /ocpi/versions is given out); default: the backend's own URL. */
  publicUrl: z.url({ protocol: /^https?$/ }).nullable(),
});
export type PartySettings = z.infer<typeof partySettingsSchema>;

/** An operator-set location detail our sites do not carry (OCPI requires coordinates and a country). */
export const siteLocationSchema = z.object({
  country: z.string().regex(/^[A-Z]{3}$/, 'three capital letters (ISO 3166-1 alpha-3)'),
  latitude: geoLocationSchema.shape.latitude,
  longitude: geoLocationSchema.shape.longitude,
  postalCode: z.string().min(1).max(10).nullable(),
});
export type SiteLocation = z.infer<typeof siteLocationSchema>;
