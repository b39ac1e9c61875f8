// A large network for benchmarks and scale tests: the demo generator's parts at scale (default 2,000 sites,
// 50,000 points).
import { generateDemoNetwork } from '../../backend/demo/network.js';
import type { DemoNetwork } from '../../backend/demo/network.js';

export function generateLargeNetwork(opts: { sites?: number; points?: number; seed?: number } = {}): DemoNetwork {
  return generateDemoNetwork({ sites: opts.sites ?? 2000, pointsTarget: opts.points ?? 50_000, seed: opts.seed ?? 42 });
}
