// Says that a large network is still arriving after its first screen (and what went wrong if it stopped), so
// counts that are still climbing are never taken for the network's truth.
import type { LoadProgress } from '../store/store.js';
import { formatCount } from '../util/numbers.js';
import './LoadStrip.css';

export function LoadStrip({
  progress,
  error,
  onRetry,
}: {
  progress: LoadProgress | null;
  error: string | null;
  onRetry(): void;
}) {
  if (!progress) return null;
  if (error)
    return (
      <div className="load-strip is-error" role="alert" data-testid="load-strip">
        <span>
          Only {formatCount(progress.loaded)} of {formatCount(progress.total)} points are loaded: {error}
        </span>
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  return (
    <div className="load-strip" role="status" data-testid="load-strip">
      <span className="load-bar" aria-hidden="true" />
      <span>
        Loading the network: the first {formatCount(progress.loaded)} of {formatCount(progress.total)} points are shown;
        counts and live changes follow in a moment.
      </span>
    </div>
  );
}
