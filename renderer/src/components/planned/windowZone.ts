// Which clock a window's (or a set of points') times are shown and typed in: the site's zone when all the points
// are at sites of one zone, else the viewer's own.
import type { ViewPoint } from '../../../../common/consoleApi.js';
import type { Site } from '../../../../common/model.js';
import { viewerTimeZone, zoneName } from '../../model/windows.js';

export interface ZoneChoice {
  tz: string;
  /** "Amsterdam time" or "your time (Europe/London)". */
  label: string;
  /** true: the sites' own zone; false: the points are at sites in different zones, so the viewer's. */
  site: boolean;
}

export function zoneOfPoints(
  pointIds: Iterable<string>,
  points: ReadonlyMap<string, ViewPoint>,
  sites: ReadonlyMap<string, Site>,
): ZoneChoice {
  let tz: string | null = null;
  for (const id of pointIds) {
    const p = points.get(id);
    if (!p) continue;
    const z = sites.get(p.siteId)?.timeZone || 'UTC';
    if (tz === null) tz = z;
    else if (tz !== z) return viewerZone();
  }
  if (tz === null) return viewerZone();
  return { tz, label: `${zoneName(tz)} time`, site: true };
}

function viewerZone(): ZoneChoice {
  const tz = viewerTimeZone();
  return { tz, label: `your time (${zoneName(tz)})`, site: false };
}
