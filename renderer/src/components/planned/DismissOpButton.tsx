// Dismiss for what this console keeps about its window requests: a refused one, or the notice of one answered later.
import { useState } from 'react';
import type { HostApi } from '../../api/index.js';
import { errorMessage } from '../../util/errors.js';

export function DismissOpButton({ api, opId, testId }: { api: HostApi; opId: string; testId: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      {error && <p className="notice notice-error">Could not dismiss: {error}</p>}
      <button
        type="button"
        className="btn btn-small"
        disabled={busy}
        data-testid={testId}
        onClick={() => {
          setBusy(true);
          api
            .call('dismissWindowOp', { opId })
            .catch((e: unknown) => setError(errorMessage(e)))
            .finally(() => setBusy(false));
        }}
      >
        Dismiss
      </button>
    </>
  );
}
