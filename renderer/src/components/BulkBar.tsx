// The selection bar: how many points are selected (and where), "select all N matching the filter" across
// sites, and "Set status…" for the selection. It also brings back the results of the last bulk change.
import { roleAllows } from '../../../common/model.js';
import type { Role } from '../../../common/model.js';
import { formatCount } from '../util/numbers.js';

const n = formatCount;

export interface BulkBarProps {
  selected: number;
  selectedSites: number;
  hiddenSelected: number;
  /** Points matching the filter (collapsed sites included), and at how many sites. */
  matching: number;
  matchingSites: number;
  /** Selected points that match the filter. */
  selectedMatching: number;
  role: Role | null;
  lastRun: { label: string; percent: number; problems: number } | null;
  onSelectAllMatching(): void;
  onSetStatus(): void;
  /** Plans a maintenance window for the selected points. */
  onPlan?(): void;
  onClear(): void;
  onShowLastRun(): void;
}

export function BulkBar(p: BulkBarProps) {
  if (p.selected === 0 && !p.lastRun) return null;
  const mayBulk = !p.role || roleAllows(p.role, 'bulkEdit');
  const canSelectMore = p.matching > p.selectedMatching;
  return (
    <div
      className={`bulk-bar${p.selected > 0 ? ' has-selection' : ''}`}
      role="region"
      aria-label="Selection"
      data-testid="bulk-bar"
    >
      {p.selected > 0 ? (
        <>
          <span className="bulk-bar-count" role="status" data-testid="bulk-selected-count" data-count={p.selected}>
            <b>{n(p.selected)}</b> {p.selected === 1 ? 'point' : 'points'} selected
            {p.selectedSites > 1 ? ` at ${n(p.selectedSites)} sites` : ''}
            {p.hiddenSelected > 0 ? (
              <span className="warn-text"> ({n(p.hiddenSelected)} hidden by the filter)</span>
            ) : null}
          </span>
          {canSelectMore && (
            <button
              type="button"
              className="btn btn-small"
              onClick={p.onSelectAllMatching}
              data-testid="bulk-select-all-matching"
            >
              Select all {n(p.matching)} matching the filter
              {p.matchingSites > 1 ? ` (${n(p.matchingSites)} sites)` : ''}
            </button>
          )}
          <button
            type="button"
            className="btn btn-small btn-primary"
            onClick={p.onSetStatus}
            data-testid="bulk-set-status"
          >
            Set status…
          </button>
          {p.onPlan && (
            <button
              type="button"
              className="btn btn-small"
              onClick={p.onPlan}
              data-testid="bulk-plan-window"
              title="Plan a maintenance window for the selected points"
            >
              Planned…
            </button>
          )}
          <button type="button" className="btn btn-small btn-ghost" onClick={p.onClear} data-testid="bulk-clear">
            Clear selection <kbd>Esc</kbd>
          </button>
          {p.selected > 1 && !mayBulk && (
            <span className="bulk-bar-role" data-testid="bulk-bar-role">
              Changing several points at once needs a supervisor; you are signed in as {p.role}.
            </span>
          )}
        </>
      ) : (
        <span className="muted small">
          Shift+click or Shift+↑/↓ selects a range · Space selects · Ctrl+A selects everything that matches
        </span>
      )}
      {p.lastRun && (
        <button
          type="button"
          className="btn btn-small btn-ghost bulk-bar-last"
          onClick={p.onShowLastRun}
          data-testid="bulk-show-last"
        >
          Last bulk change: {p.lastRun.label} · {p.lastRun.percent} %
          {p.lastRun.problems ? ` · ${n(p.lastRun.problems)} need attention` : ''}
        </button>
      )}
    </div>
  );
}
