import { useMemo } from 'react';
import { STATUS_LABELS } from '../../../common/status.js';
import type { ViewPoint } from '../../../common/consoleApi.js';
import { bulkProgress, PROBLEM_KINDS } from '../components/BulkModel.js';
import type { useBulkRuns } from '../components/BulkRuns.js';

type BulkRuns = ReturnType<typeof useBulkRuns>;

/** The last bulk run of this window, in a few words for the selection bar: what, how far, how many problems. */
export function useLastRunSummary(bulkRuns: BulkRuns, points: ReadonlyMap<string, ViewPoint>, pointsVersion: number) {
  const lastRun = bulkRuns.runs.length > 0 ? bulkRuns.runs[bulkRuns.runs.length - 1] : null;
  const summary = useMemo(() => {
    if (!lastRun) return null;
    const pr = bulkProgress(lastRun.pointIds, lastRun.attempts, bulkRuns.outcomes, points);
    let problems = 0;
    for (const [k, c] of pr.byKind) if (PROBLEM_KINDS.has(k)) problems += c;
    const label =
      lastRun.kind === 'undo'
        ? `undo of ${lastRun.pointIds.length} points`
        : `${STATUS_LABELS[lastRun.edit.status]}, ${lastRun.pointIds.length} points`;
    return { label, percent: pr.percent, problems };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastRun, bulkRuns.outcomesVersion, points, pointsVersion]);
  return { lastRun, summary };
}
