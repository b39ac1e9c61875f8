// Says which points the backend sent records for that could not be read (they failed the shared schema): the console
// skipped them and keeps what it had, so their rows may be out of date. Nobody should trust those statuses unseen.
import { useEffect, useMemo, useState } from 'react';
import type { InvalidData } from '../../../common/consoleApi.js';
import { useApp } from '../store/useStore.js';

const SHOWN = 10;
const NONE: InvalidData = { points: [] };

/** The points the core skipped as invalid data (point id → the problem), kept current. */
export function useInvalidData(): ReadonlyMap<string, string> {
  const { api } = useApp();
  const [data, setData] = useState<InvalidData>(NONE);
  useEffect(() => {
    let live = true;
    api.call('getInvalidData', {}).then(
      (found) => live && setData(found),
      () => undefined, // an older core: nothing to show
    );
    const off = api.on('invalidData', (payload) => live && setData(payload));
    return () => {
      live = false;
      off();
    };
  }, [api]);
  return useMemo(() => new Map(data.points.map((p) => [p.pointId, p.problem])), [data]);
}

export function InvalidDataNotice({ invalid }: { invalid: ReadonlyMap<string, string> }) {
  if (invalid.size === 0) return null;
  const data = { points: [...invalid].map(([pointId, problem]) => ({ pointId, problem })) };
  const n = data.points.length;
  return (
    <section className="notice notice-error" role="alert" data-testid="invalid-data">
      <p>
        <strong>Invalid data from the backend</strong>: the latest record of{' '}
        {n === 1 ? 'this point' : `these ${n} points`} could not be read and was skipped, so{' '}
        {n === 1 ? 'its row shows' : 'their rows show'} what this console had before. Tell the backend's administrator.
      </p>
      <ul>
        {data.points.slice(0, SHOWN).map((p) => (
          <li key={p.pointId}>
            <code>{p.pointId}</code>: {p.problem}
          </li>
        ))}
        {n > SHOWN && <li>and {n - SHOWN} more</li>}
      </ul>
    </section>
  );
}
