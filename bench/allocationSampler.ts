// Diagnostics: V8's sampling heap profiler over an interval, counting every sampled allocation (also those the GC
// has since freed), summed per allocating function. Shows what makes garbage, not what stays.
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

export interface AllocationSite {
  where: string;
  mb: number;
}

export function allocationSampler() {
  const session = new Session();
  return {
    async start(): Promise<boolean> {
      session.connect();
      await session.post('HeapProfiler.enable');
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: 64 * 1024,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      return true;
    },
    /** The top allocating functions (self size, MB) since start. */
    async stop(top = 25): Promise<AllocationSite[]> {
      const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
        profile: { head: ProfileNode };
      };
      session.disconnect();
      const bySite = new Map<string, number>();
      const walk = (node: ProfileNode) => {
        const f = node.callFrame;
        const where = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules\/)?/, '')}:${f.lineNumber + 1}`;
        bySite.set(where, (bySite.get(where) ?? 0) + node.selfSize);
        for (const child of node.children) walk(child);
      };
      walk(profile.head);
      return [...bySite]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([where, bytes]) => ({ where, mb: Math.round((bytes / 2 ** 20) * 10) / 10 }));
    },
  };
}
