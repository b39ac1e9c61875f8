// SQLite's `?` placeholders as PostgreSQL's `$1, $2…`, counted left to right, outside string literals (also E'…'
// with backslash escapes and $tag$…$tag$), quoted identifiers and comments (block comments nest, as PostgreSQL's
// do). Nothing else in the statement is touched. SQLite's numbered `?NNN` is refused: it cannot be counted here.

export interface Translated {
  text: string;
  params: number;
}

const IDENTIFIER_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

export function toPgPlaceholders(sql: string): Translated {
  let out = '';
  let params = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const end = skipLiteralOrComment(sql, i);
    if (end > i) {
      out += sql.slice(i, end);
      i = end;
    } else if (c === '?') {
      if (/[0-9]/.test(sql[i + 1] ?? ''))
        throw new Error(`numbered placeholders (?${/^\d+/.exec(sql.slice(i + 1))![0]}) are not supported: use plain ?`);
      out += `$${++params}`;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return { text: out, params };
}

/** Where the literal, quoted identifier or comment starting at `i` ends; `i` when none starts there. */
function skipLiteralOrComment(sql: string, i: number): number {
  const c = sql[i];
  const before = i > 0 ? sql[i - 1]! : '';
  if (c === "'") {
    const escapes = (before === 'E' || before === 'e') && !IDENTIFIER_CHAR.test(i > 1 ? sql[i - 2]! : '');
    return closingQuote(sql, i, "'", escapes);
  }
  if (c === '"') return closingQuote(sql, i, '"', false);
  if (c === '-' && sql[i + 1] === '-') {
    const nl = sql.indexOf('\n', i);
    return nl === -1 ? sql.length : nl;
  }
  if (c === '/' && sql[i + 1] === '*') return closingComment(sql, i);
  if (c === '$' && !IDENTIFIER_CHAR.test(before)) {
    const tag = DOLLAR_TAG.exec(sql.slice(i, i + 200))?.[0];
    if (tag) {
      const close = sql.indexOf(tag, i + tag.length);
      return close === -1 ? sql.length : close + tag.length;
    }
  }
  return i;
}

/** The index just after the quote that closes the one at `start` (a doubled quote is part of the text; so is a
 * backslash-escaped one in an E'…' string). */
function closingQuote(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    if (backslashEscapes && sql[i] === '\\') i += 2;
    else if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

/** The index just after the `*\/` that closes the block comment at `start`, counting nested ones. */
function closingComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return sql.length;
}
