// Filters (free text, status via the counts, site), grouping, and the network's counts per status.
// Counts are always visible; clicking one filters by that status.
import { forwardRef, memo, startTransition, useState } from 'react';
import type { Site } from '../../../common/model.js';
import { SHOWN_STATUSES, STATUS_LABELS } from '../../../common/status.js';
import type { ShownStatus } from '../../../common/status.js';
import { COUNTED_DELIVERIES } from '../model/rows.js';
import type { CountedDelivery, DeliveryCounts, RowFilter, StatusCounts } from '../model/rows.js';
import { IconAlert, IconEyeOff, STATUS_ICONS } from './icons.js';

const DELIVERY_COUNT_LABELS: Record<CountedDelivery, { label: string; title: string }> = {
  notConfirmed: {
    label: 'Not confirmed',
    title: 'Changes the station accepted or scheduled but never showed it applied',
  },
};
import { formatCount } from '../util/numbers.js';

export const CountsBar = function CountsBar({
  counts,
  deliveryCounts,
  total,
  matched,
  filter,
  state,
  onToggleStatus,
  onToggleDelivery,
  onClearStatuses,
  overdue,
  onToggleOverdue,
}: {
  counts: StatusCounts;
  /** Points per delivery state that needs a person (Not confirmed); clicking one shows only those points. */
  deliveryCounts: DeliveryCounts;
  total: number;
  matched: number;
  filter: RowFilter;
  /** Before the network is here the counts say nothing ("…"); while the rest of it arrives they are partial. */
  state: 'loading' | 'partial' | 'complete';
  onToggleStatus(s: ShownStatus, additive: boolean): void;
  onToggleDelivery(d: CountedDelivery): void;
  onClearStatuses(): void;
  /** Points whose expected end has passed while still Out of Service / in Maintenance, and whether the grid shows only them. */
  overdue?: { count: number; on: boolean };
  onToggleOverdue?(): void;
}) {
  const none = filter.statuses.size === 0 && !filter.deliveries?.size && !filter.onlyIds;
  const n = (x: number) => (state === 'loading' ? '…' : formatCount(x));
  return (
    <div
      className={`counts${state === 'complete' ? '' : ' counts-partial'}`}
      role="toolbar"
      aria-label="Counts per status (click to filter)"
      aria-busy={state !== 'complete'}
      title={state === 'complete' ? undefined : 'Still loading the network: counts are not complete yet'}
    >
      <button
        type="button"
        className={`count count-all${none ? ' count-on' : ''}`}
        aria-pressed={none}
        onClick={onClearStatuses}
        data-testid="status-count-all"
      >
        <span className="count-label">All</span>
        <span className="count-n">{n(total)}</span>
      </button>
      {SHOWN_STATUSES.map((s) => {
        const Icon = STATUS_ICONS[s];
        const on = filter.statuses.has(s);
        return (
          <button
            type="button"
            key={s}
            className={`count st-${s}${on ? ' count-on' : ''}${counts[s] === 0 ? ' count-zero' : ''}`}
            aria-pressed={on}
            onClick={(e) => onToggleStatus(s, e.ctrlKey || e.metaKey || e.shiftKey)}
            title={`${on ? 'Stop filtering' : 'Show only'} ${STATUS_LABELS[s]}${on ? '' : ' (Ctrl+click to add to the filter)'}`}
            data-testid={`status-count-${s}`}
          >
            <Icon size={13} />
            <span className="count-label">{STATUS_LABELS[s]}</span>
            <span className="count-n">{n(counts[s])}</span>
          </button>
        );
      })}
      {COUNTED_DELIVERIES.map((d) => {
        const on = filter.deliveries?.has(d) ?? false;
        const { label, title } = DELIVERY_COUNT_LABELS[d];
        return (
          <button
            type="button"
            key={d}
            className={`count count-delivery count-delivery-${d}${on ? ' count-on' : ''}${deliveryCounts[d] === 0 ? ' count-zero' : ''}`}
            aria-pressed={on}
            onClick={() => onToggleDelivery(d)}
            title={`${on ? 'Stop filtering' : 'Show only'}: ${title}`}
            data-testid={`delivery-count-${d}`}
            data-count={deliveryCounts[d]}
          >
            <IconEyeOff size={13} />
            <span className="count-label">{label}</span>
            <span className="count-n">{n(deliveryCounts[d])}</span>
          </button>
        );
      })}
      {overdue && onToggleOverdue && (overdue.count > 0 || overdue.on) && (
        <button
          type="button"
          className={`count count-overdue${overdue.on ? ' count-on' : ''}${overdue.count === 0 ? ' count-zero' : ''}`}
          aria-pressed={overdue.on}
          onClick={onToggleOverdue}
          title={`${overdue.on ? 'Stop filtering' : 'Show only'}: points whose expected end has passed while still Out of Service or in Maintenance`}
          data-testid="overdue-count"
          data-count={overdue.count}
        >
          <IconAlert size={13} />
          <span className="count-label">Overdue</span>
          <span className="count-n">{n(overdue.count)}</span>
        </button>
      )}
      {matched !== total && (
        <span className="matched" role="status">
          {formatCount(matched)} of {formatCount(total)} shown
        </span>
      )}
    </div>
  );
};

export const FilterBar = forwardRef<
  HTMLInputElement,
  {
    /** Changes whenever the parent sets the text itself (Clear filters): the box then shows that text. */
    textResets: number;
    sites: readonly Site[];
    filter: RowFilter;
    grouped: boolean;
    selectedCount: number;
    hiddenSelected: number;
    anyCollapsed: boolean;
    onText(t: string): void;
    onSite(siteId: string | null): void;
    onGrouped(g: boolean): void;
    onCollapseAll(collapse: boolean): void;
    onEditSelected(): void;
    onClearSelection(): void;
    onClearFilters(): void;
  }
>(function FilterBar(p, ref) {
  const siteId = p.filter.siteIds.size === 1 ? [...p.filter.siteIds][0] : '';
  const filtered =
    p.filter.text.trim() !== '' ||
    p.filter.siteIds.size > 0 ||
    p.filter.statuses.size > 0 ||
    !!p.filter.deliveries?.size ||
    !!p.filter.onlyIds;
  return (
    <div className="filterbar">
      <div className="search">
        <label htmlFor="filter-text" className="visually-hidden">
          Filter by site, point or station
        </label>
        <FilterTextInput key={p.textResets} ref={ref} text={p.filter.text} onText={p.onText} />
      </div>
      <label className="site-filter">
        <span className="visually-hidden">Site</span>
        <SiteSelect sites={p.sites} siteId={siteId} onSite={p.onSite} />
      </label>
      {filtered && (
        <button type="button" className="btn btn-small" onClick={p.onClearFilters} data-testid="clear-filters">
          Clear filters
        </button>
      )}
      <label className="toggle">
        <input
          type="checkbox"
          checked={p.grouped}
          onChange={(e) => p.onGrouped(e.target.checked)}
          data-testid="group-toggle"
        />
        Group by site
      </label>
      {p.grouped && (
        <button type="button" className="btn btn-small btn-ghost" onClick={() => p.onCollapseAll(!p.anyCollapsed)}>
          {p.anyCollapsed ? 'Expand all' : 'Collapse all'}
        </button>
      )}
      <div className="selection-actions">
        {p.selectedCount > 0 ? (
          <>
            <span className="sel-count" role="status">
              {formatCount(p.selectedCount)} selected
              {p.hiddenSelected > 0 ? ` (${p.hiddenSelected} hidden by filters)` : ''}
            </span>
            <button
              type="button"
              className="btn btn-small btn-primary"
              onClick={p.onEditSelected}
              data-testid="edit-selected"
            >
              Change status…
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={p.onClearSelection}>
              Clear selection
            </button>
          </>
        ) : (
          <span className="muted small kbd-hint">
            <kbd>↑</kbd>
            <kbd>↓</kbd> move · <kbd>Enter</kbd> edit · <kbd>Space</kbd> select · <kbd>I</kbd> details
          </span>
        )}
      </div>
    </div>
  );
});

/**
 * Memoised: with thousands of sites its options are the largest part of the toolbar, and live changes never alter
 * them. The full list is only put in the page once the select is focused or pressed (thousands of option elements
 * cost style and layout work at every start, for a list most people never open).
 */
const SiteSelect = memo(function SiteSelect({
  sites,
  siteId,
  onSite,
}: {
  sites: readonly Site[];
  siteId: string;
  onSite(siteId: string | null): void;
}) {
  const [opened, setOpened] = useState(false);
  const open = () => setOpened(true);
  const shown = opened || sites.length <= EAGER_SITE_OPTIONS ? sites : sites.filter((s) => s.id === siteId);
  return (
    <select
      value={siteId}
      onChange={(e) => onSite(e.target.value || null)}
      onFocus={open}
      onPointerDown={open}
      data-testid="filter-site"
    >
      <option value="">All sites ({sites.length})</option>
      {shown.map((s) => (
        <option key={s.id} value={s.id}>
          {s.name}
          {s.city ? ` — ${s.city}` : ''}
        </option>
      ))}
    </select>
  );
});
const EAGER_SITE_OPTIONS = 200;

/**
 * The free-text filter. What is typed shows at once (this component's own state); the grid follows in a transition,
 * so a keystroke renders only this input first, and a newer keystroke interrupts filtering for the older one. The
 * parent sets the text from outside ("Clear filters") by giving the input a new key.
 */
const FilterTextInput = forwardRef<HTMLInputElement, { text: string; onText(t: string): void }>(
  function FilterTextInput({ text, onText }, ref) {
    const [draft, setDraft] = useState(text);
    const change = (value: string) => {
      setDraft(value);
      startTransition(() => onText(value));
    };
    return (
      <input
        ref={ref}
        id="filter-text"
        type="search"
        placeholder="Filter: site, point, station…  ( / )"
        value={draft}
        onChange={(e) => change(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && draft) {
            e.preventDefault();
            e.stopPropagation();
            change('');
          }
        }}
        data-testid="filter-text"
        autoComplete="off"
        spellCheck={false}
      />
    );
  },
);
