import { useEffect, useRef } from 'react';
import type { MutationOutcome } from '../../../common/model.js';
import type { Notify } from './useToasts.js';

/**
 * The outcomes of this person's own edits, in words: each replaces the toast that announced its edit. Returns the
 * function that remembers an edit (its mutation id and that toast).
 */
export function useEditOutcomes(
  lastOutcome: MutationOutcome | undefined,
  notify: Notify,
): (mutationId: string, toast: number) => void {
  /** My mutations awaiting their outcome → the toast that announced them (replaced by the outcome). */
  const myMutations = useRef(new Map<string, number>());
  useEffect(() => {
    if (!lastOutcome || !myMutations.current.has(lastOutcome.mutationId)) return;
    const queuedToast = myMutations.current.get(lastOutcome.mutationId);
    myMutations.current.delete(lastOutcome.mutationId);
    const n = lastOutcome.points.length;
    const by = (r: string) => lastOutcome.points.filter((p) => p.result === r).length;
    const applied = by('applied') + by('unchanged');
    if (lastOutcome.result === 'applied')
      notify(
        `Saved on the backend: ${applied} of ${n} point${n === 1 ? '' : 's'}. The Delivery column follows it to the station.`,
        'ok',
        queuedToast,
      );
    else {
      const parts = [`${applied} applied`];
      if (by('conflict')) parts.push(`${by('conflict')} in conflict (see Conflicts)`);
      if (by('rejected')) parts.push(`${by('rejected')} rejected`);
      if (by('notAllowed')) parts.push(`${by('notAllowed')} not allowed for your role`);
      notify(
        `Backend answer for ${n} point${n === 1 ? '' : 's'}: ${parts.join(', ')}${lastOutcome.reason ? ` — ${lastOutcome.reason}` : ''}.`,
        'error',
        queuedToast,
      );
    }
  }, [lastOutcome, notify]);
  return (mutationId, toast) => myMutations.current.set(mutationId, toast);
}
