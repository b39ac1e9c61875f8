// A window refused for overlapping another: the sentence (overlapWords.ts) and a way to look at the other window.
import type { ViewPoint } from '../../../../common/consoleApi.js';
import type { Site } from '../../../../common/model.js';
import type { WindowOverlap } from '../../../../common/windows.js';
import { overlapSentence } from './overlapWords.js';
import { zoneOfPoints } from './windowZone.js';

export function OverlapNotice({
  overlap,
  points,
  sites,
  nowMs,
  testId,
  onShowWindow,
}: {
  overlap: WindowOverlap;
  points: ReadonlyMap<string, ViewPoint>;
  sites: ReadonlyMap<string, Site>;
  nowMs: number;
  testId: string;
  /** Shows the other window in the Planned panel; absent: nothing to open. */
  onShowWindow?(windowId: string): void;
}) {
  const zone = zoneOfPoints(overlap.pointIds, points, sites);
  const pointLabel = (id: string) => {
    const p = points.get(id);
    return p ? `${p.label} (${sites.get(p.siteId)?.name ?? p.siteId})` : id;
  };
  return (
    <div className="notice notice-error overlap-notice" role="alert" data-testid={testId}>
      <p>
        <span aria-hidden="true">⚠ </span>
        Not planned: {overlapSentence(overlap, zone, pointLabel, nowMs)}
      </p>
      <p className="small">A point can be in one window at a time: move this one, or change the other.</p>
      {onShowWindow && (
        <button
          type="button"
          className="link-btn"
          onClick={() => onShowWindow(overlap.windowId)}
          data-testid={`${testId}-show`}
        >
          Show “{overlap.reason}” in the Planned panel
        </button>
      )}
    </div>
  );
}
