// Bulk changes made in this window, and every mutation outcome they need: a hook App keeps, so the results
// survive closing the dialog (the bar offers to show them again). Outcomes are kept from the `outcome` event
// itself (an outcome can arrive before the call that queued it has returned).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConsoleApi } from '../../../common/consoleApi.js';
import type { MutationOutcome, StatusEdit } from '../../../common/model.js';
import type { BulkAttempt } from './BulkModel.js';

export interface BulkRun {
  id: number;
  kind: 'change' | 'undo';
  /** What was asked (for an undo: the change it undoes). */
  edit: StatusEdit;
  pointIds: string[];
  attempts: BulkAttempt[];
  startedAt: number;
  /** For a change: the run that undid it. For an undo: the run it undid. */
  undoneBy: number | null;
  undoOf: number | null;
  /** Points the undo left alone, and why. */
  skipped: { pointId: string; reason: string }[];
  retries: number;
}

const KEEP_OUTCOMES = 500;

export function useBulkRuns(api: ConsoleApi) {
  const [runs, setRuns] = useState<BulkRun[]>([]);
  const outcomes = useRef(new Map<string, MutationOutcome>());
  const [outcomesVersion, setOutcomesVersion] = useState(0);
  const nextId = useRef(1);

  useEffect(
    () =>
      api.on('outcome', ({ outcome }) => {
        const map = outcomes.current;
        map.set(outcome.mutationId, outcome);
        if (map.size > KEEP_OUTCOMES) map.delete(map.keys().next().value!);
        setOutcomesVersion((v) => v + 1);
      }),
    [api],
  );

  const update = useCallback(
    (id: number, patch: (r: BulkRun) => BulkRun) => setRuns((all) => all.map((r) => (r.id === id ? patch(r) : r))),
    [],
  );

  /** Sends a bulk change: one request, one outcome per point. Resolves with the new run's id. */
  const start = useCallback(
    async (pointIds: string[], edit: StatusEdit): Promise<number> => {
      const r = await api.call('setStatus', { pointIds, edit });
      const id = nextId.current++;
      const run: BulkRun = {
        id,
        kind: 'change',
        edit,
        pointIds,
        attempts: [{ mutationId: r.mutationId, edit, pointIds }],
        startedAt: Date.now(),
        undoneBy: null,
        undoOf: null,
        skipped: [],
        retries: 0,
      };
      setRuns((all) => [...all.slice(-19), run]);
      return id;
    },
    [api],
  );

  /** Sends the failed points of a run again, as one more request of the same run. */
  const retry = useCallback(
    async (
      run: BulkRun,
      failed: { pointId: string; attempt: BulkAttempt }[],
      edit: (e: StatusEdit, n: number) => StatusEdit,
    ) => {
      // The answered attempts still hold their conflicts/refusals in the outbox: dismiss them first.
      for (const mutationId of new Set(failed.map((f) => f.attempt.mutationId))) {
        await api.call('discardQueued', { mutationId }).catch(() => undefined);
      }
      const byEdit = new Map<string, { edit: StatusEdit; pointIds: string[] }>();
      for (const f of failed) {
        const key = JSON.stringify(f.attempt.edit);
        let g = byEdit.get(key);
        if (!g) byEdit.set(key, (g = { edit: f.attempt.edit, pointIds: [] }));
        g.pointIds.push(f.pointId);
      }
      const n = run.retries + 1;
      const attempts: BulkAttempt[] = [];
      for (const g of byEdit.values()) {
        const e = edit(g.edit, n);
        const r = await api.call('setStatus', { pointIds: g.pointIds, edit: e });
        attempts.push({ mutationId: r.mutationId, edit: e, pointIds: g.pointIds });
      }
      update(run.id, (r) => ({ ...r, attempts: [...r.attempts, ...attempts], retries: n }));
    },
    [api, update],
  );

  /** Undoes a run (all its requests, as one action); resolves with the undo's run id. */
  const undo = useCallback(
    async (run: BulkRun): Promise<number> => {
      const r = await api.call('undoBulk', { mutationIds: run.attempts.map((a) => a.mutationId) });
      const id = nextId.current++;
      const pointIds = r.mutations.flatMap((m) => m.pointIds);
      const undoRun: BulkRun = {
        id,
        kind: 'undo',
        edit: run.edit,
        pointIds,
        attempts: r.mutations.map((m) => ({ mutationId: m.mutationId, edit: m.edit, pointIds: m.pointIds })),
        startedAt: Date.now(),
        undoneBy: null,
        undoOf: run.id,
        skipped: r.skipped,
        retries: 0,
      };
      setRuns((all) => [...all.map((x) => (x.id === run.id ? { ...x, undoneBy: id } : x)).slice(-19), undoRun]);
      return id;
    },
    [api],
  );

  return { runs, outcomes: outcomes.current, outcomesVersion, start, retry, undo };
}
