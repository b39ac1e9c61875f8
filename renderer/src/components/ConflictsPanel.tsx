// Conflicts: my edit clashed with someone else's change. Both are shown (who and when); the person decides.
import { useMemo } from 'react';
import type { ViewPoint } from '../../../common/consoleApi.js';
import type { Site } from '../../../common/model.js';
import type { HostApi } from '../api/index.js';
import { actorName, fullTime, shortTime } from '../util/time.js';
import { SidePanel } from './SidePanel.js';
import { StatusBadge } from './StatusBadge.js';
import { useBusyAction } from './useBusyAction.js';
import './ConflictsPanel.css';

/** The two ways out of a conflict, as buttons. */
const RESOLUTIONS: { choice: 'keepMine' | 'takeTheirs'; className: string; testId: string; label: string }[] = [
  { choice: 'keepMine', className: 'btn btn-primary', testId: 'conflict-keep-mine', label: 'Keep mine' },
  { choice: 'takeTheirs', className: 'btn', testId: 'conflict-take-theirs', label: 'Take theirs' },
];

interface ConflictGroup {
  mutationId: string;
  points: ViewPoint[];
}

export function conflictGroups(points: ReadonlyMap<string, ViewPoint>, conflictIds: Iterable<string>): ConflictGroup[] {
  const by = new Map<string, ViewPoint[]>();
  for (const id of conflictIds) {
    const p = points.get(id);
    if (p?.pending?.state !== 'conflict') continue;
    let g = by.get(p.pending.mutationId);
    if (!g) by.set(p.pending.mutationId, (g = []));
    g.push(p);
  }
  return [...by].map(([mutationId, pts]) => ({ mutationId, points: pts }));
}

export function ConflictsPanel({
  api,
  points,
  pointsVersion,
  conflictIds,
  sites,
  nowMs,
  onClose,
  onNotify,
  onShowPoint,
}: {
  api: HostApi;
  points: ReadonlyMap<string, ViewPoint>;
  pointsVersion: number;
  conflictIds: ReadonlySet<string>;
  sites: ReadonlyMap<string, Site>;
  nowMs: number;
  onClose(): void;
  onNotify(text: string, tone?: 'info' | 'error'): void;
  onShowPoint(id: string): void;
}) {
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const groups = useMemo(() => conflictGroups(points, conflictIds), [points, pointsVersion, conflictIds]);
  const { busy, run } = useBusyAction(onNotify);

  const resolve = (mutationId: string, choice: 'keepMine' | 'takeTheirs') =>
    run(mutationId, 'Could not resolve', async () => {
      await api.call('resolveConflict', { mutationId, choice });
      return choice === 'keepMine'
        ? 'Your edit is sent again, based on their change.'
        : 'Their change is kept; your edit is dropped.';
    });

  return (
    <SidePanel
      labelledBy="conflicts-title"
      testId="conflicts-panel"
      head={<h2 id="conflicts-title">Conflicts</h2>}
      closeLabel="Close conflicts (Esc)"
      onClose={onClose}
    >
      <p className="muted small">
        Someone else changed these points after you started your edit. Nothing was overwritten: choose which status
        should stand.
      </p>
      {groups.length === 0 && <p className="empty-note">No conflicts.</p>}
      {groups.map((g) => {
        const mine = g.points[0].pending!;
        return (
          <section key={g.mutationId} className="conflict" data-testid={`conflict-${g.mutationId}`}>
            <div className="conflict-cols">
              <div className="conflict-col">
                <h3>Mine</h3>
                <StatusBadge status={mine.edit.status} size="sm" />
                {mine.edit.reason && <p className="small">{mine.edit.reason}</p>}
                <p className="muted small" title={fullTime(mine.createdAt)}>
                  you, {shortTime(mine.createdAt, nowMs)}
                </p>
              </div>
              <div className="conflict-col">
                <h3>Theirs</h3>
                <ul className="theirs-list">
                  {g.points.slice(0, 20).map((p) => {
                    const t = p.pending?.theirs ?? p.operator;
                    return (
                      <li key={p.id}>
                        <button type="button" className="link-btn" onClick={() => onShowPoint(p.id)}>
                          {p.label}
                        </button>{' '}
                        <span className="muted small">{sites.get(p.siteId)?.name ?? p.siteId}</span>
                        <div>
                          <StatusBadge status={t.status} size="sm" />
                          {t.reason ? <span className="small"> {t.reason}</span> : null}
                        </div>
                        <p className="muted small" title={fullTime(t.at)}>
                          {actorName(t.by)}, {shortTime(t.at, nowMs)}
                        </p>
                      </li>
                    );
                  })}
                  {g.points.length > 20 && <li className="muted">…and {g.points.length - 20} more points</li>}
                </ul>
              </div>
            </div>
            <div className="conflict-actions">
              {RESOLUTIONS.map((r) => (
                <button
                  type="button"
                  key={r.choice}
                  className={r.className}
                  disabled={busy === g.mutationId}
                  onClick={() => void resolve(g.mutationId, r.choice)}
                  data-testid={r.testId}
                >
                  {r.label}
                </button>
              ))}
            </div>
          </section>
        );
      })}
    </SidePanel>
  );
}
