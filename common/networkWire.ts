// The network in columns: how the core hands a whole network (or its first screen) to its page (getNetworkColumns).
// One array per field instead of one object per point: texts that repeat (station ids, labels, reasons, times) are
// sent once in `texts` and referred to by index, statuses travel as small codes, connector layouts once each. At
// 100,000 points the object form was 51.5 MiB of JSON the page parsed and the core built; this is a fraction of it,
// and it is checked on arrival by its lengths and codes (one loop over integers) instead of zod per point.
// The page decodes it straight into its own map of points (decodeNetworkColumns), with no array of points between.
import { z } from 'zod';
import { connectorSchema, PROTOCOLS, siteSchema, timeZoneSchema } from './model.js';
import type { Connector, Point, Site } from './model.js';
import { DELIVERY_STATES, OPERATOR_STATUSES, REPORTED_STATUSES, UNTIL_ACTIONS } from './status.js';
import type { PendingEdit, ViewPoint } from './consoleApi.js';

/** Names this form; a page that meets another one refuses it instead of misreading it. */
export const NETWORK_COLUMNS_FORM = 'columns-1';

/** An operator's untilAction: absent, null, or one of UNTIL_ACTIONS (code 2 + its index). */
const UNTIL_ACTION_CODES = ['(absent)', '(null)', ...UNTIL_ACTIONS] as const;

/**
 * Every column and what its numbers mean: `text` an index into `texts`, `text?` the same or -1 for null, `int` a
 * non-negative integer, `bool` 0 or 1, `layout` an index into `layouts`, a list: a code, the index of the value.
 */
export const POINT_COLUMNS = {
  siteId: 'text',
  stationId: 'text',
  evseId: 'int',
  label: 'text',
  protocol: PROTOCOLS,
  connectors: 'layout',
  stationConnected: 'bool',
  stationLastSeen: 'text?',
  reportedStatus: REPORTED_STATUSES,
  reportedErrorCode: 'text?',
  reportedInfo: 'text?',
  reportedAt: 'text?',
  operatorStatus: OPERATOR_STATUSES,
  operatorReason: 'text?',
  operatorNote: 'text?',
  operatorUntil: 'text?',
  operatorUntilAction: UNTIL_ACTION_CODES,
  operatorBy: 'text?',
  operatorAt: 'text?',
  operatorVersion: 'int',
  deliveryState: DELIVERY_STATES,
  deliveryDetail: 'text?',
  deliveryAt: 'text?',
  version: 'int',
  seq: 'int',
} as const;
export type PointColumn = keyof typeof POINT_COLUMNS;
const COLUMN_NAMES = Object.keys(POINT_COLUMNS) as PointColumn[];

/** The fields of a point (common/model.ts pointSchema) this form carries: a field added there must be added here. */
export const POINT_FIELDS_CARRIED = [
  'id',
  'siteId',
  'stationId',
  'evseId',
  'label',
  'protocol',
  'connectors',
  'stationConnected',
  'stationLastSeen',
  'reported',
  'operator',
  'delivery',
  'version',
  'seq',
] as const;

export interface NetworkColumns {
  form: typeof NETWORK_COLUMNS_FORM;
  sites: Site[];
  /** Points in the whole network (more than `ids` holds when a limit cut it). */
  total: number;
  seq: number;
  lastSyncAt: string | null;
  /** The points' ids, in the order of every column. */
  ids: string[];
  texts: string[];
  layouts: Connector[][];
  columns: Record<PointColumn, number[]>;
  /** This console's edits laid over points: [index of the point, the edit]; few, so as objects. */
  pending: [number, PendingEdit][];
}

const isArray = (v: unknown): v is unknown[] => Array.isArray(v);
const stringArray = z.custom<string[]>(
  (v) => isArray(v) && v.every((s) => typeof s === 'string'),
  'an array of strings',
);
const numberArray = z.custom<number[]>(isArray, 'an array of numbers');

/** Zones found valid, by name: thousands of sites share a few zones, and each check builds an Intl.DateTimeFormat
 *  (4,000 of those took seconds in Node on a busy machine). */
const validZones = new Map<string, boolean>();
function isTimeZone(zone: string): boolean {
  let valid = validZones.get(zone);
  if (valid === undefined) {
    valid = timeZoneSchema.safeParse(zone).success;
    if (validZones.size < 1000) validZones.set(zone, valid);
  }
  return valid;
}
const wireSiteSchema = siteSchema.extend({
  timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/London').optional(),
});

/** Why the columns do not fit together (lengths, codes, indexes), or null. Runs over every number once. */
export function columnsProblem(wire: Omit<NetworkColumns, 'sites' | 'pending'> & { pending: [number, unknown][] }) {
  const n = wire.ids.length;
  if (wire.total < n) return `total ${wire.total} is less than the ${n} points sent`;
  const texts = wire.texts.length;
  const layouts = wire.layouts.length;
  for (const name of COLUMN_NAMES) {
    const column = wire.columns[name];
    if (column.length !== n) return `column ${name} has ${column.length} values for ${n} points`;
    const kind = POINT_COLUMNS[name];
    const low = kind === 'text?' ? -1 : 0;
    let high = Number.MAX_SAFE_INTEGER;
    if (kind === 'text' || kind === 'text?') high = texts - 1;
    else if (kind === 'bool') high = 1;
    else if (kind === 'layout') high = layouts - 1;
    else if (kind !== 'int') high = kind.length - 1;
    for (let i = 0; i < n; i++) {
      const v = column[i];
      if (!Number.isInteger(v) || v < low || v > high) {
        const what = typeof kind === 'string' ? kind : 'code';
        return `column ${name}, point ${i}: ${JSON.stringify(v)} is not a ${what} in ${low}..${high}`;
      }
    }
  }
  const seen = new Set<number>();
  for (const [index] of wire.pending) {
    if (index >= n) return `pending edit for point ${index}, of ${n} points`;
    if (seen.has(index)) return `two pending edits for point ${index}`;
    seen.add(index);
  }
  return null;
}

/** The schema of the columns, with the edit schema of consoleApi.ts (passed in: that file imports this one). */
export function networkColumnsSchemaWith(pendingEdit: z.ZodType<PendingEdit>) {
  const columns = z
    .object(
      Object.fromEntries(COLUMN_NAMES.map((name) => [name, numberArray])) as Record<PointColumn, typeof numberArray>,
    )
    .strict();
  return z
    .object({
      form: z.literal(NETWORK_COLUMNS_FORM),
      sites: z.array(wireSiteSchema),
      total: z.number().int().nonnegative(),
      seq: z.number().int().nonnegative(),
      lastSyncAt: z.string().nullable(),
      ids: stringArray,
      texts: stringArray,
      layouts: z.array(z.array(connectorSchema).max(16)),
      columns,
      pending: z.array(z.tuple([z.number().int().nonnegative(), pendingEdit])),
    })
    .strict()
    .superRefine((wire, ctx) => {
      const problem = columnsProblem(wire);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/** Builds the columns of `points` (in the order given), with this console's edits by point id. */
export function encodeNetworkColumns(
  head: { sites: Site[]; total: number; seq: number; lastSyncAt: string | null },
  points: readonly Point[],
  pendingById: ReadonlyMap<string, PendingEdit>,
): NetworkColumns {
  const n = points.length;
  // Every column at its full length from the start: growing 25 arrays of 100,000 by push cost as much as filling them.
  const column = () => new Array<number>(n);
  const texts: string[] = [];
  const textIndex = new Map<string, number>();
  // Neighbouring points mostly share a site, a station, its last-seen time: the same text as the column's previous
  // point costs a comparison, not a look-up in a table of 100,000 texts.
  const textColumn = () => {
    const values = column();
    let last: string | null = null;
    let lastIndex = -1;
    const set = (i: number, s: string | null) => {
      if (s !== last) {
        last = s;
        if (s === null) lastIndex = -1;
        else {
          const known = textIndex.get(s);
          lastIndex = known ?? texts.push(s) - 1;
          if (known === undefined) textIndex.set(s, lastIndex);
        }
      }
      values[i] = lastIndex;
    };
    return { values, set };
  };
  const codeColumn = <T extends string>(list: readonly T[]) => {
    const index = new Map(list.map((v, i) => [v, i]));
    const values = column();
    return { values, set: (i: number, v: T) => (values[i] = index.get(v)!) };
  };
  const layouts: Connector[][] = [];
  const layoutIndex = new Map<string, number>();
  let lastLayout: Connector[] = [];
  let lastLayoutIndex = -1;
  const c = {
    siteId: textColumn(),
    stationId: textColumn(),
    evseId: column(),
    label: textColumn(),
    protocol: codeColumn(PROTOCOLS),
    connectors: column(),
    stationConnected: column(),
    stationLastSeen: textColumn(),
    reportedStatus: codeColumn(REPORTED_STATUSES),
    reportedErrorCode: textColumn(),
    reportedInfo: textColumn(),
    reportedAt: textColumn(),
    operatorStatus: codeColumn(OPERATOR_STATUSES),
    operatorReason: textColumn(),
    operatorNote: textColumn(),
    operatorUntil: textColumn(),
    operatorUntilAction: codeColumn(UNTIL_ACTION_CODES),
    operatorBy: textColumn(),
    operatorAt: textColumn(),
    operatorVersion: column(),
    deliveryState: codeColumn(DELIVERY_STATES),
    deliveryDetail: textColumn(),
    deliveryAt: textColumn(),
    version: column(),
    seq: column(),
  };
  const ids = new Array<string>(n);
  const pending: [number, PendingEdit][] = [];
  for (let i = 0; i < n; i++) {
    const p = points[i];
    ids[i] = p.id;
    c.siteId.set(i, p.siteId);
    c.stationId.set(i, p.stationId);
    c.evseId[i] = p.evseId;
    c.label.set(i, p.label);
    c.protocol.set(i, p.protocol);
    if (lastLayoutIndex < 0 || !sameConnectors(p.connectors, lastLayout)) {
      const key = JSON.stringify(p.connectors);
      const known = layoutIndex.get(key);
      lastLayoutIndex = known ?? layouts.push(p.connectors) - 1;
      if (known === undefined) layoutIndex.set(key, lastLayoutIndex);
      lastLayout = p.connectors;
    }
    c.connectors[i] = lastLayoutIndex;
    c.stationConnected[i] = p.stationConnected ? 1 : 0;
    c.stationLastSeen.set(i, p.stationLastSeen);
    c.reportedStatus.set(i, p.reported.status);
    c.reportedErrorCode.set(i, p.reported.errorCode);
    c.reportedInfo.set(i, p.reported.info);
    c.reportedAt.set(i, p.reported.at);
    const op = p.operator;
    c.operatorStatus.set(i, op.status);
    c.operatorReason.set(i, op.reason);
    c.operatorNote.set(i, op.note);
    c.operatorUntil.set(i, op.until);
    c.operatorUntilAction.set(
      i,
      op.untilAction === undefined ? '(absent)' : op.untilAction === null ? '(null)' : op.untilAction,
    );
    c.operatorBy.set(i, op.by);
    c.operatorAt.set(i, op.at);
    c.operatorVersion[i] = op.version;
    c.deliveryState.set(i, p.delivery.state);
    c.deliveryDetail.set(i, p.delivery.detail);
    c.deliveryAt.set(i, p.delivery.at);
    c.version[i] = p.version;
    c.seq[i] = p.seq;
    const edit = pendingById.get(p.id);
    if (edit) pending.push([i, edit]);
  }
  const columns = Object.fromEntries(
    COLUMN_NAMES.map((name) => {
      const column = c[name];
      return [name, Array.isArray(column) ? column : column.values];
    }),
  ) as Record<PointColumn, number[]>;
  return { form: NETWORK_COLUMNS_FORM, ...head, ids, texts, layouts, columns, pending };
}

function sameConnectors(a: readonly Connector[], b: readonly Connector[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++)
    if (a[i].id !== b[i].id || a[i].type !== b[i].type || a[i].maxKw !== b[i].maxKw) return false;
  return true;
}

/**
 * Hands every point of checked columns (networkColumnsSchemaWith) to `onPoint`, each built once as the object the
 * rest of the page reads. Points with the same connector layout share its array (read, never changed).
 */
export function decodeNetworkColumns(wire: NetworkColumns, onPoint: (point: ViewPoint) => void): void {
  const { ids, texts, layouts, columns: c } = wire;
  const text = (i: number) => texts[i];
  const maybe = (i: number) => (i < 0 ? null : texts[i]);
  const pendingAt = new Map(wire.pending);
  for (let i = 0; i < ids.length; i++) {
    const untilAction = c.operatorUntilAction[i];
    const operator: Point['operator'] = {
      status: OPERATOR_STATUSES[c.operatorStatus[i]],
      reason: maybe(c.operatorReason[i]),
      note: maybe(c.operatorNote[i]),
      until: maybe(c.operatorUntil[i]),
      by: maybe(c.operatorBy[i]),
      at: maybe(c.operatorAt[i]),
      version: c.operatorVersion[i],
    };
    if (untilAction > 0) operator.untilAction = untilAction === 1 ? null : UNTIL_ACTIONS[untilAction - 2];
    onPoint({
      id: ids[i],
      siteId: text(c.siteId[i]),
      stationId: text(c.stationId[i]),
      evseId: c.evseId[i],
      label: text(c.label[i]),
      protocol: PROTOCOLS[c.protocol[i]],
      connectors: layouts[c.connectors[i]],
      stationConnected: c.stationConnected[i] === 1,
      stationLastSeen: maybe(c.stationLastSeen[i]),
      reported: {
        status: REPORTED_STATUSES[c.reportedStatus[i]],
        errorCode: maybe(c.reportedErrorCode[i]),
        info: maybe(c.reportedInfo[i]),
        at: maybe(c.reportedAt[i]),
      },
      operator,
      delivery: {
        state: DELIVERY_STATES[c.deliveryState[i]],
        detail: maybe(c.deliveryDetail[i]),
        at: maybe(c.deliveryAt[i]),
      },
      version: c.version[i],
      seq: c.seq[i],
      pending: pendingAt.get(i) ?? null,
    });
  }
}
