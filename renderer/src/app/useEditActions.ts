import { useCallback, useMemo, useState } from 'react';
import type { StatusEdit } from '../../../common/model.js';
import { STATUS_LABELS } from '../../../common/status.js';
import type { HostApi } from '../api/index.js';
import type { StoreState } from '../store/store.js';
import type { BulkDialogState } from './Dialogs.js';
import { useEditOutcomes } from './useEditOutcomes.js';
import type { useSelection } from './useSelection.js';
import type { Notify } from './useToasts.js';

/** Setting a status: the editor (one point) or the bulk dialog (several) that is open, opening one, and saving. */
export function useEditActions(
  api: HostApi,
  st: StoreState,
  notify: Notify,
  selection: ReturnType<typeof useSelection>,
  focusKey: string | null,
) {
  const [editor, setEditor] = useState<{ pointIds: string[] } | null>(null);
  // Bulk changes: the dialog (compose with its preview, then the results of a run).
  const [bulk, setBulk] = useState<BulkDialogState>(null);
  const trackEdit = useEditOutcomes(st.outcomes[0], notify);
  const { selected, clearSelection } = selection;

  const openEditor = useCallback(
    (pointId?: string) => {
      let ids: string[];
      if (pointId && !(selected.size > 0 && selected.has(pointId))) ids = [pointId];
      else if (selected.size > 0) ids = [...selected];
      else if (focusKey && st.points.has(focusKey)) ids = [focusKey];
      else return;
      if (ids.length > 1) setBulk({ kind: 'compose', pointIds: ids });
      else setEditor({ pointIds: ids });
    },
    [selected, focusKey, st.points],
  );

  const saveEdit = async (pointIds: string[], edit: StatusEdit) => {
    const r = await api.call('setStatus', { pointIds, edit });
    setEditor(null);
    const what =
      pointIds.length === 1 ? (st.points.get(pointIds[0])?.label ?? pointIds[0]) : `${pointIds.length} points`;
    const toast = notify(
      `${STATUS_LABELS[edit.status]} for ${what}: queued on this computer. Follow it in the Delivery column.`,
      'ok',
    );
    trackEdit(r.mutationId, toast);
    if (selected.size > 0 && pointIds.length > 1) clearSelection();
  };

  const editingIds = useMemo(() => new Set(editor?.pointIds ?? []), [editor]);
  return { editor, setEditor, bulk, setBulk, openEditor, saveEdit, editingIds };
}
