// A site's header row in the grouped grid: its name, how many points are shown, and a count per status (a click
// filters the grid to that site and status).
import { memo } from 'react';
import { SHOWN_STATUSES, STATUS_LABELS } from '../../../../common/status.js';
import type { ShownStatus } from '../../../../common/status.js';
import type { SiteGridRow } from '../../model/rows.js';
import { IconChevron, STATUS_ICONS } from '../icons.js';
import { COLUMNS, rowDomId, SITE_ROW_H } from './gridColumns.js';
import { useFocusLeavesReusedRow } from './useFocusLeavesReusedRow.js';

export const SiteRowView = memo(function SiteRowView({
  row,
  index,
  start,
  focused,
  onToggle,
  onFocusKey,
  onStatusClick,
}: {
  row: SiteGridRow;
  index: number;
  start: number;
  focused: boolean;
  onToggle(siteId: string): void;
  onFocusKey(key: string): void;
  onStatusClick(siteId: string, status: ShownStatus): void;
}) {
  const problem = row.counts.Faulted + row.counts.Offline;
  const ref = useFocusLeavesReusedRow(row.key);
  return (
    <div
      ref={ref}
      id={rowDomId(row.key)}
      role="row"
      aria-rowindex={index + 2}
      aria-expanded={!row.collapsed}
      aria-level={1}
      className={`grid-row site-row${focused ? ' is-focused' : ''}${problem ? ' has-problem' : ''}`}
      style={{ transform: `translateY(${start}px)`, height: SITE_ROW_H }}
      data-testid={`site-group-${row.siteId}`}
      data-collapsed={row.collapsed ? 'true' : 'false'}
      onClick={() => onFocusKey(row.key)}
      onDoubleClick={() => onToggle(row.siteId)}
    >
      <div role="gridcell" aria-colspan={COLUMNS.length} className="cell site-cell">
        <button
          type="button"
          tabIndex={-1}
          className="collapse-btn"
          aria-label={row.collapsed ? `Expand ${row.name}` : `Collapse ${row.name}`}
          onClick={(e) => {
            e.stopPropagation();
            onFocusKey(row.key);
            onToggle(row.siteId);
          }}
        >
          <IconChevron open={!row.collapsed} />
        </button>
        <span className="site-name">{row.name}</span>
        {row.site?.city ? <span className="site-city">{row.site.city}</span> : null}
        <span className="site-total">
          {row.matched === row.total ? `${row.total} points` : `${row.matched} of ${row.total} points shown`}
        </span>
        <span className="site-counts">
          {SHOWN_STATUSES.filter((s) => row.counts[s] > 0).map((s) => {
            const Icon = STATUS_ICONS[s];
            return (
              <button
                type="button"
                key={s}
                tabIndex={-1}
                className={`mini-count st-${s}`}
                title={`Show only ${STATUS_LABELS[s]} at ${row.name}`}
                onClick={(e) => {
                  e.stopPropagation();
                  onStatusClick(row.siteId, s);
                }}
              >
                <Icon size={12} />
                <span className="mini-count-n">{row.counts[s]}</span>
                <span className="mini-count-label">{STATUS_LABELS[s]}</span>
              </button>
            );
          })}
        </span>
      </div>
    </div>
  );
});
