// Tells the person when this computer's cache was found damaged at start (electron/core/cache/cacheRecovery.ts):
// the file was moved aside, which queued edits came back and will be sent, and which could not be recovered and
// must be made again. Shown until dismissed; nothing is dropped without a word.
import { useEffect, useState } from 'react';
import type { CacheRecovery } from '../../../common/consoleApi.js';
import { useApp } from '../store/useStore.js';

export function CacheRecoveryNotice() {
  const { api } = useApp();
  const [recovery, setRecovery] = useState<CacheRecovery | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.call('getCacheRecovery', {}).then(
      (found) => live && setRecovery(found),
      () => undefined, // an older core, or the host is not reachable yet: nothing to show
    );
    return () => {
      live = false;
    };
  }, [api]);

  if (!recovery) return null;
  const lost = recovery.lost;
  const dismiss = () =>
    api.call('dismissCacheRecovery', {}).then(
      () => setRecovery(null),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );

  return (
    <section
      className={`notice ${lost.length > 0 || recovery.unreadable ? 'notice-error' : 'notice-warn'}`}
      role="alert"
      data-testid="cache-recovery"
    >
      <p>
        <strong>This computer's console cache was damaged</strong> ({recovery.problem}) and has been replaced.{' '}
        {recovery.recovered > 0
          ? `${recovery.recovered} edit${recovery.recovered === 1 ? '' : 's'} queued in it ${recovery.recovered === 1 ? 'was' : 'were'} recovered and will be sent as before.`
          : 'No queued edit could be recovered from it.'}
      </p>
      {lost.length > 0 && (
        <>
          <p>
            {lost.length === 1 ? 'This edit' : `These ${lost.length} edits`} could not be recovered: please make{' '}
            {lost.length === 1 ? 'it' : 'them'} again.
          </p>
          <ul data-testid="cache-recovery-lost">
            {lost.map((edit) => (
              <li key={edit.mutationId}>
                {edit.edit ? `${edit.edit.status}${edit.edit.reason ? ` (${edit.edit.reason})` : ''}` : 'An edit'}
                {edit.pointIds.length > 0
                  ? ` on ${edit.pointIds.slice(0, 5).join(', ')}${edit.pointIds.length > 5 ? ` and ${edit.pointIds.length - 5} more` : ''}`
                  : ''}
                {edit.createdAt ? `, made ${new Date(edit.createdAt).toLocaleString()}` : ''}: {edit.why}.
              </li>
            ))}
          </ul>
        </>
      )}
      {recovery.unreadable && <p>{recovery.unreadable}</p>}
      <p>
        The damaged file is kept at <code>{recovery.movedTo}</code>.{' '}
        <button
          type="button"
          className="banner-btn"
          onClick={() => void dismiss()}
          data-testid="cache-recovery-dismiss"
        >
          Dismiss
        </button>
      </p>
      {error && <p className="warn-text">Could not dismiss: {error}</p>}
    </section>
  );
}
