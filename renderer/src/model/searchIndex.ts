// The free-text filter's text of every row as one string, scanned in order: at 50,000 rows, reading each row's own
// string in the grid's sort order (scattered in memory) took 10–30 ms per filter in the page; one sequential scan
// of a single string takes a few.

export interface SearchIndex<Row> {
  /** The rows indexed, in the order of their positions. */
  readonly rows: readonly Row[];
  /** Every row's text, lower case, joined by '\n' (never inside a filter word: words split on white space). */
  readonly text: string;
  /** Where each row's text starts in `text`; one entry more than rows, the end. */
  readonly starts: Uint32Array;
}

export function buildSearchIndex<Row>(rows: readonly Row[], textOf: (row: Row) => string): SearchIndex<Row> {
  const parts = new Array<string>(rows.length);
  const starts = new Uint32Array(rows.length + 1);
  let at = 0;
  for (let i = 0; i < rows.length; i++) {
    const t = textOf(rows[i]);
    parts[i] = t;
    starts[i] = at;
    at += t.length + 1;
  }
  starts[rows.length] = at;
  return { rows, text: parts.join('\n'), starts };
}

/** Per row position: 1 when the row's text contains every word, else 0. Words never contain '\n' (the joiner). */
export function positionsMatching(index: SearchIndex<unknown>, words: readonly string[]): Uint8Array {
  const n = index.rows.length;
  const { text, starts } = index;
  // How many of the words (in order) each row has matched so far.
  const found = new Uint32Array(n);
  words.forEach((word, w) => {
    let from = 0;
    for (;;) {
      const at = text.indexOf(word, from);
      if (at < 0) break;
      const row = rowAt(starts, at);
      if (found[row] === w) found[row] = w + 1;
      from = starts[row + 1];
    }
  });
  const matched = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (found[i] === words.length) matched[i] = 1;
  return matched;
}

/** The row whose text holds position `at`: the last start at or before it. */
function rowAt(starts: Uint32Array, at: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
