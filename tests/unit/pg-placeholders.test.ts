// `?` as `$n` for PostgreSQL (backend/store/pg/placeholders.ts) where a naive scan goes wrong: a `?` inside an
// E'…' string after a backslash-escaped quote, inside $$…$$ or $tag$…$tag$, inside a nested block comment; casts
// and `??` stay what they are; SQLite's numbered ?NNN is refused instead of becoming a wrong $n.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toPgPlaceholders } from '../../backend/store/pg/placeholders.js';

const same = (sql: string, text: string, params: number) => assert.deepEqual(toPgPlaceholders(sql), { text, params });

describe('store: ? placeholders as $n, edge cases', () => {
  it("skips a ? in an E'…' string whose quote is escaped with a backslash", () => {
    same("SELECT E'it\\'s ?' AS a, ? AS b", "SELECT E'it\\'s ?' AS a, $1 AS b", 1);
    same("SELECT e'\\\\', ?", "SELECT e'\\\\', $1", 1);
    // An identifier ending in e before a plain literal is not an E string: its backslash is text.
    same("SELECT name'\\', ?", "SELECT name'\\', $1", 1);
  });

  it('skips a ? in dollar-quoted text, with or without a tag', () => {
    same('SELECT $$ ? $$, ?', 'SELECT $$ ? $$, $1', 1);
    same('SELECT $fn$ it is ? $ $fn$, ?', 'SELECT $fn$ it is ? $ $fn$, $1', 1);
    same('SELECT $x$ $$ ? $x$ || ?', 'SELECT $x$ $$ ? $x$ || $1', 1);
  });

  it('skips a ? in nested block comments', () => {
    same('SELECT /* a /* b */ ? */ ?', 'SELECT /* a /* b */ ? */ $1', 1);
  });

  it('leaves casts and positional $n alone and counts ?? as two', () => {
    same('SELECT ?::text, CAST(? AS BIGINT), x::int', 'SELECT $1::text, CAST($2 AS BIGINT), x::int', 2);
    same('SELECT ??', 'SELECT $1$2', 2);
  });

  it('refuses SQLite numbered placeholders rather than misnumbering them', () => {
    assert.throws(() => toPgPlaceholders('SELECT ?1, ?2'), /numbered placeholders \(\?1\) are not supported/);
  });
});
