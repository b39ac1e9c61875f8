// The outbox: edits saved on this computer that the backend has not taken yet. Queued ones can be discarded.
import { useCallback, useEffect, useState } from 'react';
import type { OutboxItem } from '../../../common/consoleApi.js';
import { STATUS_LABELS } from '../../../common/status.js';
import type { HostApi } from '../api/index.js';
import { errorMessage } from '../util/errors.js';
import { ago, fullTime } from '../util/time.js';
import { SidePanel } from './SidePanel.js';
import { StatusBadge } from './StatusBadge.js';
import { useBusyAction } from './useBusyAction.js';
import './OutboxPanel.css';

const STATE_WORDS: Record<OutboxItem['state'], string> = {
  queued: 'Queued on this computer',
  sending: 'Sending to the backend',
  conflict: 'Conflict: waiting for your choice',
  failed: 'Refused by the backend',
};

export function OutboxPanel({
  api,
  refreshKey,
  nowMs,
  pointLabel,
  onClose,
  onNotify,
}: {
  api: HostApi;
  /** Changes when something may have changed the outbox (points or connection events). */
  refreshKey: string;
  nowMs: number;
  pointLabel(id: string): string;
  onClose(): void;
  onNotify(text: string, tone?: 'info' | 'error'): void;
}) {
  const [items, setItems] = useState<OutboxItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { busy, run } = useBusyAction(onNotify);

  const load = useCallback(() => {
    api
      .call('listOutbox', {})
      .then((r) => {
        setItems(r.items);
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [api]);

  useEffect(() => {
    const t = setTimeout(load, 150);
    return () => clearTimeout(t);
  }, [load, refreshKey]);

  const discard = (item: OutboxItem) =>
    run(item.mutationId, 'Could not discard', async () => {
      const r = await api.call('discardQueued', { mutationId: item.mutationId });
      load();
      return r.discarded > 0
        ? `Discarded the queued edit (${STATUS_LABELS[item.edit.status]}).`
        : 'That edit was already sent; nothing discarded.';
    });

  return (
    <SidePanel
      labelledBy="outbox-title"
      testId="outbox-panel"
      head={<h2 id="outbox-title">Outbox</h2>}
      closeLabel="Close outbox (Esc)"
      onClose={onClose}
    >
      <p className="muted small">
        Edits stored on this computer and not yet taken by the backend. They are sent in order as soon as the backend is
        reachable; nothing is applied twice.
      </p>
      {error && <p className="notice notice-error">Could not read the outbox: {error}</p>}
      {items && items.length === 0 && (
        <p className="empty-note">Nothing waiting. Every edit has reached the backend.</p>
      )}
      {items && items.length > 0 && (
        <ul className="outbox-list">
          {items.map((it) => (
            <li
              key={it.mutationId}
              className={`outbox-item ob-${it.state}`}
              data-testid={`outbox-item-${it.mutationId}`}
            >
              <div className="ob-line">
                <StatusBadge status={it.edit.status} size="sm" />
                <span className="ob-targets">
                  {it.pointIds.length === 1 ? pointLabel(it.pointIds[0]) : `${it.pointIds.length} points`}
                </span>
                <span className="ob-when" title={fullTime(it.createdAt)}>
                  {ago(it.createdAt, nowMs)}
                </span>
              </div>
              {it.edit.reason && <div className="ob-reason">{it.edit.reason}</div>}
              <div className="ob-state">
                {STATE_WORDS[it.state]}
                {it.attempts > 0 ? ` · ${it.attempts} attempt${it.attempts === 1 ? '' : 's'}` : ''}
                {it.error ? <span className="ob-error"> — {it.error}</span> : null}
              </div>
              {it.state === 'queued' && (
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={busy === it.mutationId}
                  onClick={() => void discard(it)}
                >
                  Discard
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </SidePanel>
  );
}
