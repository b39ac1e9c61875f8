// The grid's header row: one column header per column, the sortable ones a button (aria-sort says the order).
import type { SortColumn, SortSpec } from '../../model/rows.js';
import { COLUMNS } from './gridColumns.js';

export function GridHeader({ sort, onSort }: { sort: SortSpec; onSort(column: SortColumn): void }) {
  return (
    <div className="grid-row grid-head" role="row" aria-rowindex={1}>
      {COLUMNS.map((c) => {
        const active = sort.column === c.id;
        const ariaSort = active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none';
        if (!c.sortable)
          return (
            <div key={c.id} role="columnheader" className={`cell col-${c.id}`}>
              <span className="visually-hidden">{c.label}</span>
            </div>
          );
        return (
          <div key={c.id} role="columnheader" aria-sort={ariaSort} className={`cell col-${c.id}`}>
            <button
              type="button"
              tabIndex={-1}
              className={`sort-btn${active ? ' sort-active' : ''}`}
              onClick={() => onSort(c.id as SortColumn)}
              title={`Sort by ${c.label.toLowerCase()}`}
              data-testid={`sort-${c.id}`}
            >
              {c.label}
              <span className="sort-arrow" aria-hidden="true">
                {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
              </span>
            </button>
          </div>
        );
      })}
    </div>
  );
}
