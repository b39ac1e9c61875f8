// One formatter, made once: Number#toLocaleString with a locale builds a new one on every call, which showed in
// the profile of the live grid (the counts re-render with every batch of changes).
const COUNT_FORMAT = new Intl.NumberFormat('en-GB');

/** 12,345 */
export function formatCount(n: number): string {
  return COUNT_FORMAT.format(n);
}
