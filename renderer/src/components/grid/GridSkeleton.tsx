// What the grid area shows while the network is on its way: the grid's header and a few blank rows, drawn with
// the grid's own fonts, badges and station text. Besides looking like what is coming, it makes the browser do its
// first-time font and style work (which took ~200 ms of the first real render) while it waits for the network.
import { SHOWN_STATUSES } from '../../../../common/status.js';
import { COLUMNS } from './gridColumns.js';
import { StatusBadge } from '../StatusBadge.js';
import './GridSkeleton.css';

export function GridSkeleton() {
  return (
    <div className="grid is-grouped grid-skeleton" data-testid="grid-skeleton">
      <div className="loading-text" role="status">
        Loading the network…
      </div>
      <div aria-hidden="true">
        <div className="grid-row grid-head skeleton-row">
          {COLUMNS.map((c) => (
            <div key={c.id} className={`cell col-${c.id}`}>
              <span className="sort-btn">{c.sortable ? c.label : ''}</span>
            </div>
          ))}
        </div>
        {SHOWN_STATUSES.slice(0, 4).map((status, i) => (
          <div key={status} className="grid-row point-row skeleton-row" style={{ top: 34 + i * 31 }}>
            <div className="cell col-select" />
            <div className="cell col-site">
              <span className="ellipsis">&nbsp;</span>
            </div>
            <div className="cell col-point">
              <span className="point-label">Bay {i + 1}</span>
              <span className="point-station">VB-000-0{i} · 1</span>
            </div>
            <div className="cell col-shown">
              <StatusBadge status={status} />
            </div>
            <div className="cell col-reported">
              <StatusBadge status={status} size="sm" subtle />
            </div>
            <div className="cell col-operator">
              <span className="op-reason ellipsis">&nbsp;</span>
            </div>
            <div className="cell col-delivery" />
            <div className="cell col-lastChange">
              <span className="lc-when">00:00</span>
            </div>
            <div className="cell col-connectivity" />
          </div>
        ))}
      </div>
    </div>
  );
}
