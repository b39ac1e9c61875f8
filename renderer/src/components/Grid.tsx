// The grid: every point of every site, grouped by site, virtualised (TanStack Virtual, real DOM rows with
// role="grid"/"row"/"gridcell" and aria-rowindex). Focus stays on the grid element and follows a row key
// (aria-activedescendant), so live changes — which may move, add or remove rows — never take focus away;
// the focused row is always kept rendered. Selection is by point id.
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent, MouseEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { StationLiveness } from '../../../common/consoleApi.js';
import { DELIVERY_LABELS, LIVENESS_LABELS, SHOWN_STATUSES, STATUS_LABELS } from '../../../common/status.js';
import type { ShownStatus } from '../../../common/status.js';
import type { Connectivity, PointRow, Row, RowModel, SiteRow, SortColumn, SortSpec } from '../model/rows.js';
import { connectivityOf, deliveryAdvice } from '../model/rows.js';
import { connectivityTitle } from '../model/labels.js';
import type { FlashLevel } from '../model/flash.js';
import { flashLevel, nextFlashStepAt } from '../model/flash.js';
import type { Flash } from '../store/store.js';
import { actorName, ago, fullTime, shortTime } from '../util/time.js';
import { DeliverySteps } from './DeliverySteps.js';
import { IconChevron, IconInfo, STATUS_ICONS } from './icons.js';
import { StatusBadge } from './StatusBadge.js';
import type { PointWindow } from '../model/windows.js';
import { PlannedMark, UntilMark } from './planned/RowMarks.js';

export const POINT_ROW_H = 34;
export const SITE_ROW_H = 38;
const HEADER_H = 34;

interface Column {
  id: SortColumn | 'select';
  label: string;
  sortable: boolean;
}
export const COLUMNS: Column[] = [
  { id: 'select', label: 'Select', sortable: false },
  { id: 'site', label: 'Site', sortable: true },
  { id: 'point', label: 'Point', sortable: true },
  { id: 'shown', label: 'Shown status', sortable: true },
  { id: 'reported', label: 'Reported', sortable: true },
  { id: 'operator', label: 'Operator status', sortable: true },
  { id: 'delivery', label: 'Delivery', sortable: true },
  { id: 'lastChange', label: 'Last change', sortable: true },
  { id: 'connectivity', label: 'Station', sortable: true },
];

export interface GridProps {
  model: RowModel;
  focusKey: string | null;
  selected: ReadonlySet<string>;
  flashes: ReadonlyMap<string, Flash>;
  pointsVersion: number;
  /** Station id → liveness from the backend; read for the rows on screen only (their marker, last-heard age). */
  liveness: ReadonlyMap<string, StationLiveness>;
  /** Point id → why its latest record from the backend was skipped as invalid data (its row is out of date). */
  invalid: ReadonlyMap<string, string>;
  nowMs: number;
  sort: SortSpec;
  grouped: boolean;
  editingIds: ReadonlySet<string>;
  /** Point id → the window its row mentions (running, or the next planned); built once per windows change. */
  pointWindows: ReadonlyMap<string, PointWindow>;
  onSort(column: SortColumn): void;
  onFocusKey(key: string): void;
  onSelect(ids: string[], mode: 'toggle' | 'replace' | 'add'): void;
  onSelectRange(fromKey: string, toKey: string): void;
  onClearSelection(): void;
  onSelectAll(): void;
  onOpenEditor(pointId?: string): void;
  onOpenDrawer(pointId: string): void;
  onToggleCollapse(siteId: string): void;
  onSiteStatusClick(siteId: string, status: ShownStatus): void;
  gridRef: React.RefObject<HTMLDivElement | null>;
}

export function rowDomId(key: string): string {
  return `gridrow-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** Renders the grid again at the next highlight step while a row in view is highlighted (live load renders it anyway). */
function useFlashSteps(flashing: boolean, nowMs: number): void {
  // A counter, not the step's time: a timer that fired early (the clock set back) still sets the next one.
  const [ticks, setTicks] = useState(0);
  const nextStep = flashing ? nextFlashStepAt(nowMs) : 0;
  useEffect(() => {
    if (!nextStep) return;
    const timer = setTimeout(() => setTicks((n) => n + 1), Math.max(0, nextStep - Date.now()) + 5);
    return () => clearTimeout(timer);
  }, [nextStep, ticks]);
}

export function Grid(props: GridProps) {
  const { model, focusKey, gridRef } = props;
  const rows = model.rows;
  const focusIndex = focusKey != null ? model.indexOf(focusKey) : -1;
  const anchorRef = useRef<{ key: string; delta: number } | null>(null);
  const lastFocusKey = useRef<string | null>(null);

  // Keyed on the layout, not the rows: a live update that moves no row keeps the virtualizer's measurements
  // (recomputing them walks every row).
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const layout = model.layout;
  const estimateSize = useCallback((i: number) => (rowsRef.current[i]?.kind === 'site' ? SITE_ROW_H : POINT_ROW_H), [layout]);
  const getItemKey = useCallback((i: number) => rowsRef.current[i]?.key ?? i, [layout]);
  const rangeExtractor = useCallback(
    (range: { startIndex: number; endIndex: number; overscan: number; count: number }) => {
      const start = Math.max(0, range.startIndex - range.overscan);
      const end = Math.min(range.count - 1, range.endIndex + range.overscan);
      const out: number[] = [];
      for (let i = start; i <= end; i++) out.push(i);
      // The focused row stays in the DOM even when scrolled away, so aria-activedescendant always points somewhere.
      if (focusIndex >= 0 && (focusIndex < start || focusIndex > end)) {
        out.push(focusIndex);
        out.sort((a, b) => a - b);
      }
      return out;
    },
    [focusIndex],
  );

  const pointerFocus = useRef(false);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => gridRef.current,
    estimateSize,
    getItemKey,
    rangeExtractor,
    overscan: 8,
    paddingStart: HEADER_H,
  });

  // Scroll anchoring: remember the first visible row; when live changes move it, scroll so it stays put.
  const recordAnchor = useCallback(() => {
    const el = gridRef.current;
    if (!el) return;
    const top = el.scrollTop;
    if (top <= 0) {
      anchorRef.current = null;
      return;
    }
    const items = virtualizer.getVirtualItems();
    const first = items.find((it) => it.end > top + HEADER_H);
    anchorRef.current = first ? { key: String(first.key), delta: first.start - top } : null;
  }, [virtualizer, gridRef]);

  useLayoutEffect(() => {
    const el = gridRef.current;
    const anchor = anchorRef.current;
    if (!el || !anchor) return;
    const idx = model.indexOf(anchor.key);
    if (idx < 0) return;
    const item = virtualizer.measurementsCache[idx];
    if (!item) return;
    const wanted = item.start - anchor.delta;
    if (Math.abs(wanted - el.scrollTop) >= 1) el.scrollTop = wanted;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [layout]);

  // Keep the focused row in view when focus moves (not when live changes move the row).
  useEffect(() => {
    if (focusKey !== lastFocusKey.current) {
      lastFocusKey.current = focusKey;
      if (focusIndex >= 0) virtualizer.scrollToIndex(focusIndex, { align: 'auto' });
    }
  }, [focusKey, focusIndex, virtualizer]);

  const pageSize = Math.max(1, Math.floor(((gridRef.current?.clientHeight ?? 600) - HEADER_H) / POINT_ROW_H) - 1);

  const moveTo = (index: number, extend: boolean) => {
    if (rows.length === 0) return;
    const i = Math.max(0, Math.min(rows.length - 1, index));
    const key = rows[i].key;
    if (extend && focusKey) props.onSelectRange(focusKey, key);
    props.onFocusKey(key);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return; // keys inside a row's button etc.
    const cur = focusIndex >= 0 ? focusIndex : -1;
    const row: Row | undefined = cur >= 0 ? rows[cur] : undefined;
    const ctrl = e.ctrlKey || e.metaKey;
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        moveTo(cur + 1, e.shiftKey);
        break;
      case 'ArrowUp':
        moveTo(cur < 0 ? 0 : cur - 1, e.shiftKey);
        break;
      case 'PageDown':
        moveTo(cur + pageSize, e.shiftKey);
        break;
      case 'PageUp':
        moveTo(cur - pageSize, e.shiftKey);
        break;
      case 'Home':
        moveTo(0, e.shiftKey);
        break;
      case 'End':
        moveTo(rows.length - 1, e.shiftKey);
        break;
      case 'ArrowLeft':
        if (row?.kind === 'site') {
          if (!row.collapsed) props.onToggleCollapse(row.siteId);
        } else if (row?.kind === 'point' && props.grouped) {
          const siteKey = `site:${row.data.point.siteId}`;
          if (model.indexOf(siteKey) >= 0) props.onFocusKey(siteKey);
        } else handled = false;
        break;
      case 'ArrowRight':
        if (row?.kind === 'site' && row.collapsed) props.onToggleCollapse(row.siteId);
        else if (row?.kind === 'site') moveTo(cur + 1, false);
        else handled = false;
        break;
      case 'Enter':
        if (!row) moveTo(0, false);
        else if (row.kind === 'site') props.onToggleCollapse(row.siteId);
        else props.onOpenEditor(row.data.point.id);
        break;
      case ' ':
        if (row?.kind === 'point') props.onSelect([row.data.point.id], 'toggle');
        else if (row?.kind === 'site') {
          const ids = model.matchedBySite.get(row.siteId) ?? [];
          const allIn = ids.length > 0 && ids.every((id) => props.selected.has(id));
          props.onSelect(ids, allIn ? 'toggle' : 'add');
        }
        break;
      case 'i':
      case 'I':
        if (row?.kind === 'point' && !ctrl) props.onOpenDrawer(row.data.point.id);
        else handled = false;
        break;
      case 'a':
      case 'A':
        if (ctrl) props.onSelectAll();
        else handled = false;
        break;
      case 'Escape':
        if (props.selected.size > 0) props.onClearSelection();
        else handled = false;
        break;
      default:
        handled = false;
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  // Stable across renders, so a live update re-renders only the rows whose data changed (PointRowView is memo).
  const latest = useRef({ props, focusKey });
  useLayoutEffect(() => {
    latest.current = { props, focusKey };
  });
  const onRowClick = useCallback((e: MouseEvent, key: string) => {
    const { props: p, focusKey: from } = latest.current;
    if (e.shiftKey && from) p.onSelectRange(from, key);
    else if (e.ctrlKey || e.metaKey) p.onSelect([key], 'toggle');
    p.onFocusKey(key);
    p.gridRef.current?.focus({ preventScroll: true });
  }, []);

  const items = virtualizer.getVirtualItems();
  const totalSize = virtualizer.getTotalSize();
  const nowForFlashes = Date.now();
  const flashLevels = items.map((item): FlashLevel => {
    const flash = props.flashes.get(rows[item.index]?.key ?? '');
    return flash ? flashLevel(flash.at, nowForFlashes) : 0;
  });
  useFlashSteps(flashLevels.some((level) => level > 0), nowForFlashes);
  const activeId = focusIndex >= 0 ? rowDomId(rows[focusIndex].key) : undefined;

  return (
    <div
      ref={gridRef}
      className={props.grouped ? 'grid is-grouped' : 'grid'}
      role="grid"
      aria-label="Charging points"
      aria-rowcount={rows.length + 1}
      aria-colcount={COLUMNS.length}
      aria-multiselectable="true"
      aria-activedescendant={activeId}
      tabIndex={0}
      data-testid="grid"
      onKeyDown={onKeyDown}
      onScroll={recordAnchor}
      onMouseDown={() => (pointerFocus.current = true)}
      onMouseUp={() => (pointerFocus.current = false)}
      onFocus={(e) => {
        // Tabbing in focuses the first row in view; a click focuses the row clicked (onRowClick), and must not
        // first move focus (and scroll) elsewhere.
        if (e.target !== e.currentTarget || focusIndex >= 0 || rows.length === 0 || pointerFocus.current) return;
        const top = (gridRef.current?.scrollTop ?? 0) + HEADER_H;
        const firstInView = virtualizer.getVirtualItems().find((it) => it.end > top);
        props.onFocusKey(rows[firstInView?.index ?? 0].key);
      }}
    >
      <div className="grid-sizer" role="rowgroup" style={{ height: totalSize }}>
        <div className="grid-row grid-head" role="row" aria-rowindex={1}>
          {COLUMNS.map((c) => {
            const active = props.sort.column === c.id;
            const ariaSort = active ? (props.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none';
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
                  onClick={() => props.onSort(c.id as SortColumn)}
                  title={`Sort by ${c.label.toLowerCase()}`}
                  data-testid={`sort-${c.id}`}
                >
                  {c.label}
                  <span className="sort-arrow" aria-hidden="true">
                    {active ? (props.sort.dir === 'asc' ? '▲' : '▼') : '↕'}
                  </span>
                </button>
              </div>
            );
          })}
        </div>
        {rows.length === 0 && (
          <div className="grid-empty" role="row" aria-rowindex={2}>
            <div role="gridcell">No points match the filters.</div>
          </div>
        )}
        {items.map((item, itemIndex) => {
          const row = rows[item.index];
          if (!row) return null;
          const focused = item.index === focusIndex;
          const common = {
            index: item.index,
            start: item.start,
            focused,
          };
          if (row.kind === 'site')
            return (
              <SiteRowView
                key={item.index}
                row={row}
                {...common}
                onToggle={props.onToggleCollapse}
                onFocusKey={props.onFocusKey}
                onStatusClick={props.onSiteStatusClick}
              />
            );
          return (
            <PointRowView
              key={item.index}
              row={row}
              {...common}
              selected={props.selected.has(row.key)}
              editing={props.editingIds.has(row.key)}
              flashLevel={flashLevels[itemIndex]}
              live={props.liveness.get(row.data.point.stationId)}
              planned={props.pointWindows.get(row.key)}
              invalid={props.invalid.get(row.key)}
              nowMs={props.nowMs}
              grouped={props.grouped}
              onRowClick={onRowClick}
              onOpenEditor={props.onOpenEditor}
              onOpenDrawer={props.onOpenDrawer}
              onSelect={props.onSelect}
            />
          );
        })}
      </div>
    </div>
  );
}

/**
 * Rows are keyed by position, so a row element can come to show another point or site. A control in it that had
 * the browser's focus (a clicked checkbox or button) would then act on that other one: focus goes back to the grid.
 */
function useFocusLeavesReusedRow(identity: string) {
  const ref = useRef<HTMLDivElement>(null);
  const shown = useRef(identity);
  useLayoutEffect(() => {
    if (shown.current === identity) return;
    shown.current = identity;
    const row = ref.current;
    const active = document.activeElement;
    if (row && active instanceof HTMLElement && active !== row && row.contains(active)) row.closest<HTMLElement>('[role="grid"]')?.focus();
  }, [identity]);
  return ref;
}

const SiteRowView = memo(function SiteRowView({
  row,
  index,
  start,
  focused,
  onToggle,
  onFocusKey,
  onStatusClick,
}: {
  row: SiteRow;
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

const PointRowView = memo(function PointRowView({
  row,
  index,
  start,
  focused,
  selected,
  editing,
  flashLevel,
  live,
  planned,
  invalid,
  nowMs,
  grouped,
  onRowClick,
  onOpenEditor,
  onOpenDrawer,
  onSelect,
}: {
  row: PointRow;
  index: number;
  start: number;
  focused: boolean;
  selected: boolean;
  editing: boolean;
  flashLevel: FlashLevel;
  /** The station's liveness entry (a new object only when it changed, so other rows do not render again). */
  live: StationLiveness | undefined;
  /** The window this point is in or planned for (the same object until the windows change). */
  planned: PointWindow | undefined;
  /** Why the backend's latest record of this point was skipped (undefined: it was not). */
  invalid: string | undefined;
  nowMs: number;
  grouped: boolean;
  onRowClick(e: MouseEvent, key: string): void;
  onOpenEditor(pointId?: string): void;
  onOpenDrawer(pointId: string): void;
  onSelect(ids: string[], mode: 'toggle' | 'replace' | 'add'): void;
}) {
  const d = row.data;
  const p = d.point;
  const v = d.view;
  const conn = connectivityOf(p, live);
  const pending = p.pending && p.pending.state !== 'failed' ? p.pending : null;
  const op = pending ? { status: pending.edit.status, reason: pending.edit.reason, until: pending.edit.until } : p.operator;
  const hasOperatorChange = p.operator.version > 0 || p.pending != null || p.operator.status !== 'Available';
  const advice = deliveryAdvice(v.delivery);
  const cls =
    `grid-row point-row${focused ? ' is-focused' : ''}${selected ? ' is-selected' : ''}${editing ? ' is-editing' : ''}` +
    `${flashLevel ? ' is-flashing' : ''}${v.shown === 'Faulted' ? ' is-faulted' : ''}${conn.kind !== 'online' ? ' is-' + conn.kind : ''}` +
    `${invalid !== undefined ? ' is-invalid' : ''}`;
  const ref = useFocusLeavesReusedRow(row.key);
  return (
    <div
      ref={ref}
      id={rowDomId(row.key)}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      aria-level={grouped ? 2 : undefined}
      className={cls}
      style={{ transform: `translateY(${start}px)`, height: POINT_ROW_H }}
      data-testid={`row-${p.id}`}
      data-point-id={p.id}
      data-shown-status={v.shown}
      data-delivery={v.delivery}
      data-applying={v.applying ?? undefined}
      onClick={(e) => onRowClick(e, row.key)}
      onDoubleClick={() => onOpenEditor(p.id)}
    >
      <div role="gridcell" className="cell col-select">
        <input
          type="checkbox"
          tabIndex={-1}
          checked={selected}
          aria-label={`Select ${p.label}`}
          onClick={(e) => e.stopPropagation()}
          onChange={() => onSelect([p.id], 'toggle')}
        />
      </div>
      <div role="gridcell" className="cell col-site" title={d.site?.city ? `${d.siteName}, ${d.site.city}` : d.siteName}>
        <span className="ellipsis">{d.siteName}</span>
      </div>
      <div role="gridcell" className="cell col-point">
        <span className="point-label">{p.label}</span>
        <span className="point-station" title={`Station ${p.stationId}, EVSE ${p.evseId} (${p.protocol})`}>
          {p.stationId} · {p.evseId}
        </span>
        <button
          type="button"
          className="row-info"
          tabIndex={-1}
          aria-label={`Details for ${p.label}`}
          title="Details (I)"
          onClick={(e) => {
            e.stopPropagation();
            onRowClick(e, row.key);
            onOpenDrawer(p.id);
          }}
        >
          <IconInfo size={13} />
        </button>
      </div>
      <div role="gridcell" className="cell col-shown">
        <StatusBadge status={v.shown} applying={v.applying !== null} />
        {invalid !== undefined && (
          <span className="invalid-mark" title={`Invalid data from the backend: ${invalid}. This row shows what the console had before.`} data-testid="invalid-mark">
            invalid
          </span>
        )}
      </div>
      <div role="gridcell" className="cell col-reported">
        <ReportedCell d={d} stale={conn.kind !== 'online'} nowMs={nowMs} />
      </div>
      <div role="gridcell" className="cell col-operator" title={op.reason ?? undefined}>
        {hasOperatorChange || op.status !== 'Available' ? (
          <>
            <StatusBadge status={op.status} size="sm" subtle />
            {/* In a running window the window's mark says when it ends (the until is the window's end), before the reason. */}
            {planned?.running ? <PlannedMark planned={planned} tz={d.site?.timeZone} nowMs={nowMs} /> : null}
            {op.reason ? <span className="op-reason ellipsis">{op.reason}</span> : null}
            {op.until && !planned?.running ? <UntilMark point={p} tz={d.site?.timeZone} nowMs={nowMs} /> : null}
            {planned && !planned.running ? <PlannedMark planned={planned} tz={d.site?.timeZone} nowMs={nowMs} /> : null}
          </>
        ) : planned ? (
          <PlannedMark planned={planned} tz={d.site?.timeZone} nowMs={nowMs} />
        ) : (
          <span className="muted">—</span>
        )}
      </div>
      <div role="gridcell" className="cell col-delivery" title={advice ?? undefined}>
        {hasOperatorChange ? (
          <DeliverySteps
            state={v.delivery}
            detail={p.pending?.error ?? p.delivery.detail}
            at={p.pending ? null : p.delivery.at}
            nowMs={nowMs}
            compact
          />
        ) : (
          <span className="muted" title={DELIVERY_LABELS[v.delivery]}>
            —
          </span>
        )}
      </div>
      <div role="gridcell" className="cell col-lastChange" title={d.lastChangeAt ? fullTime(d.lastChangeAt) : undefined}>
        {d.lastChangeAt ? (
          <>
            <span className="ellipsis lc-who">{d.lastChangeBy ? actorName(d.lastChangeBy) : 'unknown'}</span>
            <span className="lc-when">{shortTime(d.lastChangeAt, nowMs)}</span>
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </div>
      <div role="gridcell" className="cell col-connectivity">
        <ConnectivityCell conn={conn} nowMs={nowMs} />
      </div>
      {flashLevel ? <span className={`row-flash flash-${flashLevel}`} aria-hidden="true" /> : null}
    </div>
  );
});

function ReportedCell({ d, stale, nowMs }: { d: PointRow['data']; stale: boolean; nowMs: number }) {
  const r = d.point.reported;
  const Icon = STATUS_ICONS[r.status];
  return (
    <span className={`reported st-text-${r.status}${stale ? ' is-stale' : ''}`} title={reportTitle(d, stale, nowMs)}>
      <Icon size={12} />
      <span className="reported-word">{STATUS_LABELS[r.status]}</span>
      {r.errorCode && r.errorCode !== 'NoError' ? <span className="err-code">{r.errorCode}</span> : null}
      {stale ? <span className="stale-tag">stale</span> : r.at ? <span className="reported-at">{shortTime(r.at, nowMs)}</span> : null}
    </span>
  );
}

function reportTitle(d: PointRow['data'], stale: boolean, nowMs: number): string {
  const r = d.point.reported;
  let t = `Reported ${STATUS_LABELS[r.status]}`;
  if (r.errorCode && r.errorCode !== 'NoError') t += ` (${r.errorCode})`;
  if (r.info) t += ` — ${r.info}`;
  t += r.at ? ` at ${fullTime(r.at)} (${ago(r.at, nowMs)})` : ', never reported';
  if (stale) t += `. The station is ${d.point.stationConnected ? 'silent' : 'offline'}, so this report may be out of date.`;
  return t;
}

function ConnectivityCell({ conn, nowMs }: { conn: Connectivity; nowMs: number }) {
  const title = connectivityTitle(conn, nowMs);
  const word = LIVENESS_LABELS[conn.kind];
  return (
    <span className={`conn conn-${conn.kind}`} title={title} data-liveness={conn.kind} data-liveness-source={conn.source}>
      <span className="conn-dot" aria-hidden="true" />
      {word}
      {conn.kind === 'online' ? (
        conn.lastHeardAt && conn.source === 'backend' ? <span className="conn-since">heard {ago(conn.lastHeardAt, nowMs)}</span> : null
      ) : (
        <span className="conn-since">{conn.since ? `since ${shortTime(conn.since, nowMs)}` : 'never seen'}</span>
      )}
    </span>
  );
}
