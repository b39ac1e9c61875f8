// One benchmark figure is one JSON line: {"name", "value", "unit", "target", "pass"} (outside checks read them).
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** A human-readable target such as "<= 1000" or "== 0". */
  target: string;
  pass: boolean;
}

export function figure(name: string, value: number, unit: string, op: '<=' | '>=' | '==', limit: number): Figure {
  const rounded = Math.round(value * 100) / 100;
  const pass = op === '<=' ? value <= limit : op === '>=' ? value >= limit : value === limit;
  return { name, value: rounded, unit, target: `${op} ${limit}`, pass };
}

export function print(fig: Figure): void {
  process.stdout.write(`${JSON.stringify(fig)}\n`);
}
