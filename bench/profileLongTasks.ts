// The long stretches of a .cpuprofile: runs of busy samples longer than a threshold, each with the functions that
// took most of it (self time), to see what blocks a page's main thread. npx tsx bench/profileLongTasks.ts FILE [MS]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const [file, threshold = '50'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n: Node) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
const idle = (id: number) => byId.get(id)!.callFrame.functionName === '(idle)';

let t = 0;
let start = -1;
let self = new Map<string, number>();
let stacks = new Map<string, number>();
const flush = (end: number) => {
  if (start >= 0 && end - start >= Number(threshold)) {
    console.log(`${(start / 1000).toFixed(0).padStart(6)} ms: busy ${(end - start).toFixed(0)} ms`);
    for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 6))
      console.log(`    ${(us / 1000).toFixed(0).padStart(5)} ms self  ${k}`);
    for (const [k, us] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 3))
      console.log(`    ${(us / 1000).toFixed(0).padStart(5)} ms in   ${k}`);
  }
  start = -1;
  self = new Map();
  stacks = new Map();
};
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i + 1] ?? 0;
  const id = profile.samples[i];
  if (idle(id)) {
    flush(t / 1000);
  } else {
    if (start < 0) start = t / 1000;
    const n = byId.get(id)!;
    self.set(name(n), (self.get(name(n)) ?? 0) + dt);
    // The outermost application frames (a few levels below the root) say which task it was.
    const chain: string[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) chain.push(name(byId.get(cur)!));
    const top = chain.reverse().slice(1, 4).join(' > ');
    stacks.set(top, (stacks.get(top) ?? 0) + dt);
  }
  t += dt;
}
flush(t / 1000);
