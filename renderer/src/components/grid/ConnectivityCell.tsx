// The Station column: online, silent or offline, and since when or when last heard.
import { LIVENESS_LABELS } from '../../../../common/status.js';
import type { Connectivity } from '../../model/connectivity.js';
import { connectivityTitle } from '../../model/labels.js';
import { ago, shortTime } from '../../util/time.js';

export function ConnectivityCell({ conn, nowMs }: { conn: Connectivity; nowMs: number }) {
  const title = connectivityTitle(conn, nowMs);
  const word = LIVENESS_LABELS[conn.kind];
  return (
    <span
      className={`conn conn-${conn.kind}`}
      title={title}
      data-liveness={conn.kind}
      data-liveness-source={conn.source}
    >
      <span className="conn-dot" aria-hidden="true" />
      {word}
      {conn.kind === 'online' ? (
        conn.lastHeardAt && conn.source === 'backend' ? (
          <span className="conn-since">heard {ago(conn.lastHeardAt, nowMs)}</span>
        ) : null
      ) : (
        <span className="conn-since">{conn.since ? `since ${shortTime(conn.since, nowMs)}` : 'never seen'}</span>
      )}
    </span>
  );
}
