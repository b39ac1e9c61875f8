// The Reported column: the station's last report, marked stale while the station is not heard from.
import { STATUS_LABELS } from '../../../../common/status.js';
import type { RowData } from '../../model/rows.js';
import { ago, fullTime, shortTime } from '../../util/time.js';
import { STATUS_ICONS } from '../icons.js';

export function ReportedCell({ d, stale, nowMs }: { d: RowData; stale: boolean; nowMs: number }) {
  const r = d.point.reported;
  const Icon = STATUS_ICONS[r.status];
  return (
    <span className={`reported st-text-${r.status}${stale ? ' is-stale' : ''}`} title={reportTitle(d, stale, nowMs)}>
      <Icon size={12} />
      <span className="reported-word">{STATUS_LABELS[r.status]}</span>
      {r.errorCode && r.errorCode !== 'NoError' ? <span className="err-code">{r.errorCode}</span> : null}
      {stale ? (
        <span className="stale-tag">stale</span>
      ) : r.at ? (
        <span className="reported-at">{shortTime(r.at, nowMs)}</span>
      ) : null}
    </span>
  );
}

function reportTitle(d: RowData, stale: boolean, nowMs: number): string {
  const r = d.point.reported;
  let t = `Reported ${STATUS_LABELS[r.status]}`;
  if (r.errorCode && r.errorCode !== 'NoError') t += ` (${r.errorCode})`;
  if (r.info) t += ` — ${r.info}`;
  t += r.at ? ` at ${fullTime(r.at)} (${ago(r.at, nowMs)})` : ', never reported';
  if (stale)
    t += `. The station is ${d.point.stationConnected ? 'silent' : 'offline'}, so this report may be out of date.`;
  return t;
}
