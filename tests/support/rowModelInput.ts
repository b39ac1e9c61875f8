// The row model's input for the renderer's unit tests (not a test file itself): the whole network at version 1, no
// filter, sorted by point, grouped by site, nothing collapsed, unless told otherwise.
import type { ViewPoint } from '../../common/consoleApi.js';
import type { Site } from '../../common/model.js';
import { EMPTY_FILTER, type RowModelInput } from '../../renderer/src/model/rows.js';

export function rowModelInput(
  points: ReadonlyMap<string, ViewPoint> | readonly ViewPoint[],
  sites: ReadonlyMap<string, Site>,
  over: Partial<RowModelInput> = {},
): RowModelInput {
  return {
    points: Array.isArray(points) ? new Map(points.map((p) => [p.id, p])) : (points as ReadonlyMap<string, ViewPoint>),
    pointsVersion: 1,
    sites,
    sitesVersion: 1,
    filter: EMPTY_FILTER,
    sort: { column: 'point', dir: 'asc' },
    grouped: true,
    collapsed: new Set(),
    ...over,
  };
}
