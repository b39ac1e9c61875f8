// How PostgreSQL's text results become JS values, so that rows look like SQLite's: whole numbers and decimals as
// numbers, bytea as a Buffer, everything else as the text PostgreSQL sent.

type Parser = (text: string) => unknown;

const OID = { bool: 16, bytea: 17, int8: 20, int2: 21, int4: 23, float4: 700, float8: 701, numeric: 1700 } as const;

/** A bigint beyond 2^53 stays exact as a BigInt rather than silently rounding. */
function parseInt8(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

function parseBytea(text: string): Buffer {
  return text.startsWith('\\x') ? Buffer.from(text.slice(2), 'hex') : Buffer.from(text, 'latin1');
}

const identity: Parser = (text) => text;

const PARSERS = new Map<number, Parser>([
  [OID.bool, (t) => (t === 't' ? 1 : 0)],
  [OID.bytea, parseBytea],
  [OID.int8, parseInt8],
  [OID.int2, Number],
  [OID.int4, Number],
  [OID.float4, Number],
  [OID.float8, Number],
  [OID.numeric, Number],
]);

/** The `types` object pg-native asks for each column's parser. */
export const sqliteLikeTypes = {
  getTypeParser: (oid: number): Parser => PARSERS.get(oid) ?? identity,
};

/** A JS value as the text PostgreSQL's parameter takes (null stays null; Buffers as bytea hex). */
export function toPgParam(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  throw new TypeError(`a ${typeof value} cannot be a query parameter`);
}
