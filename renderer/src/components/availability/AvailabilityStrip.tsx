// The details drawer's availability: the point's shown status over the last 24 h / 7 d / 30 d as a coloured strip
// (status colours and icons, hover for times and reasons), its uptime for the range, and its outages listed.
import { useEffect, useState } from 'react';
import { STATUS_LABELS, type ShownStatus } from '../../../../common/status.js';
import { TIMELINE_RANGES, type TimelineRange, type TimelineReply } from '../../../../common/uptime.js';
import type { HostApi } from '../../api/index.js';
import { StatusBadge } from '../StatusBadge.js';
import { STATUS_ICONS } from '../icons.js';
import { outageLine, stripSegments } from './timelineModel.js';
import './AvailabilityStrip.css';

const RANGE_LABELS: Record<TimelineRange, string> = { '24h': '24 h', '7d': '7 days', '30d': '30 days' };

export function AvailabilityStrip({
  api,
  pointId,
  seq,
  timeZone,
}: {
  api: HostApi;
  pointId: string;
  seq: number;
  timeZone: string;
}) {
  const [range, setRange] = useState<TimelineRange>('24h');
  const [reply, setReply] = useState<TimelineReply | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    // Debounced like the history: a burst of changes to the point costs one call.
    const t = setTimeout(() => {
      api
        .call('getTimeline', { pointId, range })
        .then((r) => {
          if (cancelled) return;
          setReply(r);
          setError(null);
        })
        .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [api, pointId, range, seq]);

  const current = reply && reply.pointId === pointId ? reply : null;
  const from = current ? Date.parse(current.from) : 0;
  const to = current ? Date.parse(current.to) : 0;
  const segments = current ? stripSegments(current.intervals, from, to, timeZone) : [];
  const shown = [...new Set(segments.map((s) => s.status))] as ShownStatus[];

  return (
    <section className="availability" data-testid="availability-strip">
      <div className="availability-head">
        <h3>Availability</h3>
        <div className="availability-ranges" role="group" aria-label="Range">
          {TIMELINE_RANGES.map((r) => (
            <button key={r} type="button" className="chip" aria-pressed={range === r} onClick={() => setRange(r)}>
              {RANGE_LABELS[r]}
            </button>
          ))}
        </div>
      </div>
      {error ? <p className="muted">{error}</p> : null}
      {current ? (
        <>
          <p className="availability-uptime">
            Uptime {current.uptime === null ? '—' : `${current.uptime.toFixed(2)} %`}{' '}
            <span className="muted">over the last {RANGE_LABELS[range]}</span>
          </p>
          <div className="strip" role="img" aria-label={`Status over the last ${RANGE_LABELS[range]}`}>
            {segments.map((s, i) => {
              const Icon = STATUS_ICONS[s.status];
              return (
                <div
                  key={i}
                  className={`strip-seg st-bg-${s.status}${s.excluded ? ' strip-excluded' : ''}`}
                  style={{ left: `${s.left * 100}%`, width: `${s.width * 100}%` }}
                  title={s.title}
                  data-status={s.status}
                >
                  {s.width > 0.06 ? <Icon size={12} /> : null}
                </div>
              );
            })}
          </div>
          <div className="strip-axis muted">
            <span>
              {new Date(from).toLocaleString('en-GB', {
                timeZone,
                day: 'numeric',
                month: 'short',
                hour: '2-digit',
                minute: '2-digit',
              })}
            </span>
            <span>now</span>
          </div>
          <div className="strip-legend">
            {shown.map((s) => (
              <StatusBadge key={s} status={s} size="sm" subtle title={STATUS_LABELS[s]} />
            ))}
          </div>
          <h4>Outages</h4>
          {current.outages.length === 0 ? (
            <p className="muted">None in this range.</p>
          ) : (
            <ul className="outage-list" data-testid="outage-list">
              {current.outages.map((o) => (
                <li key={o.start}>
                  <StatusBadge status={o.status} size="sm" /> <span>{outageLine(o, timeZone)}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      ) : !error ? (
        <p className="muted">Loading…</p>
      ) : null}
    </section>
  );
}
