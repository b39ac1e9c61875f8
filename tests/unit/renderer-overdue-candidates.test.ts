// The points that may be overdue, kept from the ids each flush changed (renderer/src/model/overdueCandidates.ts):
// the same overdue set as a pass over every point, without that pass on every flush.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ViewPoint } from '../../common/consoleApi.js';
import { OverdueCandidates } from '../../renderer/src/model/overdueCandidates.js';
import { overdueIds } from '../../renderer/src/model/windows.js';
import { outOfServiceOperator, point } from '../support/rendererFixtures.js';

const NOW = Date.parse('2026-12-04T15:00:00.000Z');
const passed = '2026-12-04T14:00:00.000Z';
const overduePoint = (id: string): ViewPoint =>
  point(id, { operator: { ...outOfServiceOperator, until: passed, untilAction: 'remind' } });

/** A map changed in place, with the store's version and changed ids, as ConsoleStore.flush keeps them. */
function liveMap(points: ViewPoint[]) {
  const map = new Map(points.map((p) => [p.id, p]));
  let version = 1;
  let changed: { version: number; ids: readonly string[] } | null = null;
  return {
    map,
    get version() {
      return version;
    },
    get changed() {
      return changed;
    },
    flush(...next: ViewPoint[]) {
      for (const p of next) map.set(p.id, p);
      version++;
      changed = { version, ids: next.map((p) => p.id) };
    },
  };
}

const ids = (points: Iterable<ViewPoint>) => [...points].map((p) => p.id).sort();

describe('OverdueCandidates', () => {
  it('follows each flush from its changed ids: a new expected end joins, a cleared one leaves', () => {
    const live = liveMap([point('a'), point('b'), overduePoint('c')]);
    const candidates = new OverdueCandidates();
    assert.deepEqual(ids(candidates.update(live.map, live.version, live.changed)), ['c']);
    live.flush(overduePoint('a'));
    assert.deepEqual(ids(candidates.update(live.map, live.version, live.changed)), ['a', 'c']);
    live.flush(point('c'));
    assert.deepEqual(ids(candidates.update(live.map, live.version, live.changed)), ['a']);
    assert.deepEqual([...overdueIds(candidates.update(live.map, live.version, live.changed), NOW)], ['a']);
  });

  it('looks only at the changed ids on a flush it follows (the other points are not read)', () => {
    const live = liveMap([point('a'), point('b'), point('c')]);
    const candidates = new OverdueCandidates();
    candidates.update(live.map, live.version, live.changed);
    // A point changed without its flush being reported is not seen: proof that the pass is not over every point.
    live.map.set('b', overduePoint('b'));
    live.flush(overduePoint('c'));
    assert.deepEqual(ids(candidates.update(live.map, live.version, live.changed)), ['c']);
  });

  it('looks at every point again after a flush it did not see, or a reload', () => {
    const live = liveMap([point('a'), point('b')]);
    const candidates = new OverdueCandidates();
    candidates.update(live.map, live.version, live.changed);
    live.flush(overduePoint('a'));
    live.flush(overduePoint('b'));
    assert.deepEqual(ids(candidates.update(live.map, live.version, live.changed)), ['a', 'b'], 'two flushes at once');
    const reloaded = new Map([['z', overduePoint('z')]]);
    assert.deepEqual(ids(candidates.update(reloaded, live.version + 1, null)), ['z'], 'a new map');
  });

  it('counts an edit on its way as a candidate, as overdueIds does', () => {
    const withEdit = point('e', {
      pending: {
        edit: { status: 'Maintenance', reason: 'Planned works', note: null, until: passed },
        mutationId: 'm1',
        state: 'queued',
        createdAt: passed,
        error: null,
        theirs: null,
      },
    } as Partial<ViewPoint>);
    const live = liveMap([point('a')]);
    const candidates = new OverdueCandidates();
    candidates.update(live.map, live.version, live.changed);
    live.flush(withEdit);
    const found = candidates.update(live.map, live.version, live.changed);
    assert.deepEqual(ids(found), ['e']);
    assert.deepEqual([...overdueIds(found, NOW)], [...overdueIds(live.map.values(), NOW)]);
  });
});
