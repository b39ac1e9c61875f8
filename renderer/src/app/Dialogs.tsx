// The dialogs over the console: the editor (one point), the bulk change (compose, then its results), planning a
// maintenance window, and signing in.
import type { StatusEdit } from '../../../common/model.js';
import type { HostApi } from '../api/index.js';
import { BulkCompose, BulkResults } from '../components/BulkDialog.js';
import { retryEdit } from '../components/BulkModel.js';
import type { useBulkRuns } from '../components/BulkRuns.js';
import { Editor } from '../components/Editor.js';
import type { LocalPlan } from '../components/planned/PlannedPanel.js';
import { PlanWindowDialog } from '../components/planned/PlanWindowDialog.js';
import { SignIn } from '../components/SignIn.js';
import type { StoreState } from '../store/store.js';

export type BulkDialogState = { kind: 'compose'; pointIds: string[] } | { kind: 'results'; runId: number } | null;

export interface DialogsProps {
  api: HostApi;
  st: StoreState;
  nowMs: number;
  /** The ids the filter shows while something is selected (null: nothing selected): the rest are "hidden". */
  matchedSet: ReadonlySet<string> | null;
  editor: { pointIds: string[] } | null;
  bulk: BulkDialogState;
  bulkRuns: ReturnType<typeof useBulkRuns>;
  planFor: string[] | null;
  signInOpen: boolean;
  defaultUser: string | null;
  setEditor(editor: { pointIds: string[] } | null): void;
  setBulk(bulk: BulkDialogState): void;
  setPlanFor(ids: string[] | null): void;
  setSignInOpen(open: boolean): void;
  onSaveEdit(pointIds: string[], edit: StatusEdit): Promise<void>;
  onPlanned(windowId: string, plan: LocalPlan): void;
  /** Opens the Planned panel at a window. */
  onShowWindow(windowId: string): void;
  clearSelection(): void;
  focusGrid(): void;
}

export function Dialogs(props: DialogsProps) {
  const { api, st, nowMs, matchedSet, editor, bulk, bulkRuns, planFor, setEditor, setBulk, setPlanFor } = props;
  const role = st.connection?.session?.role ?? null;
  const hiddenOf = (ids: string[]) => (matchedSet ? ids.filter((id) => !matchedSet.has(id)).length : 0);
  const bulkResultsRun = bulk?.kind === 'results' ? (bulkRuns.runs.find((r) => r.id === bulk.runId) ?? null) : null;
  return (
    <>
      {editor && (
        <Editor
          pointIds={editor.pointIds}
          points={st.points}
          sites={st.sites}
          role={role}
          hiddenCount={hiddenOf(editor.pointIds)}
          nowMs={nowMs}
          windows={st.windows}
          windowsVersion={st.windowsVersion}
          onClose={() => setEditor(null)}
          onSave={props.onSaveEdit}
          onPlan={(ids) => {
            setEditor(null);
            setPlanFor(ids);
          }}
        />
      )}
      {planFor && (
        <PlanWindowDialog
          api={api}
          pointIds={planFor}
          points={st.points}
          sites={st.sites}
          role={role}
          nowMs={nowMs}
          queued={st.windowsQueued}
          onShowWindow={(windowId) => {
            setPlanFor(null);
            props.onShowWindow(windowId);
          }}
          onPlanned={(windowId, plan) => {
            props.onPlanned(windowId, plan);
            if (planFor.length > 1) props.clearSelection();
          }}
          onClose={() => {
            setPlanFor(null);
            props.focusGrid();
          }}
        />
      )}
      {bulk?.kind === 'compose' && (
        <BulkCompose
          pointIds={bulk.pointIds}
          points={st.points}
          pointsVersion={st.pointsVersion}
          sites={st.sites}
          windows={st.windows}
          windowsVersion={st.windowsVersion}
          role={role}
          connection={st.connection}
          hiddenCount={hiddenOf(bulk.pointIds)}
          nowMs={nowMs}
          onClose={() => setBulk(null)}
          onConfirm={async (pointIds, edit) => {
            const runId = await bulkRuns.start(pointIds, edit);
            setBulk({ kind: 'results', runId });
            props.clearSelection();
          }}
        />
      )}
      {bulkResultsRun && (
        <BulkResults
          run={bulkResultsRun}
          undoneRun={
            bulkResultsRun.undoOf !== null ? (bulkRuns.runs.find((r) => r.id === bulkResultsRun.undoOf) ?? null) : null
          }
          outcomes={bulkRuns.outcomes}
          outcomesVersion={bulkRuns.outcomesVersion}
          points={st.points}
          pointsVersion={st.pointsVersion}
          sites={st.sites}
          windows={st.windows}
          windowsVersion={st.windowsVersion}
          nowMs={nowMs}
          role={role}
          onClose={() => {
            setBulk(null);
            props.focusGrid();
          }}
          onRetry={(run, failed) => bulkRuns.retry(run, failed, retryEdit)}
          onUndo={async (run) => setBulk({ kind: 'results', runId: await bulkRuns.undo(run) })}
          onShowRun={(runId) => setBulk({ kind: 'results', runId })}
        />
      )}
      {props.signInOpen && (
        <SignIn
          api={api}
          defaultUser={props.defaultUser}
          reason={st.connection?.state === 'signedOut' ? (st.connection.error ?? null) : null}
          backendUrl={st.connection?.backendUrl ?? null}
          onClose={() => props.setSignInOpen(false)}
        />
      )}
    </>
  );
}
