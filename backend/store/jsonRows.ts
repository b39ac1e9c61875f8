// Many rows in one statement, for both engines: the rows go as one JSON parameter (an array of arrays) and are read
// back as a table `v` with `v.value` (one row; its fields as `v.value ->> 0`, `v.value ->> 1`…, text or number on
// SQLite and text on PostgreSQL, so numbers are CAST) and `v.key` (its place in the array, for ORDER BY). On
// PostgreSQL a statement is a round trip (docs/cluster.md), so a bulk path sends its per-row statements as one.
// Only values read from the store or made here go in the rows (ids, statuses, seqs): people's text (reasons, notes)
// goes as its own parameter, as everywhere else.
import type { Dialect } from './db.js';

/** The FROM item reading the rows of one JSON parameter as `v(value, key)`. */
export function jsonRows(dialect: Dialect): string {
  return dialect === 'postgres'
    ? 'json_array_elements(CAST(? AS json)) WITH ORDINALITY AS v(value, key)'
    : 'json_each(?) AS v';
}

/** The parameter for jsonRows: each row an array of strings, numbers or nulls. */
export function jsonRowsParam(rows: readonly (readonly (string | number | null)[])[]): string {
  return JSON.stringify(rows);
}
