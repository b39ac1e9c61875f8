// One site's daily uptime as a small line, 90–100 % high (lower days sit on the bottom edge; the row says the figure),
// days without a figure skipped. Plain SVG: the ranked list mounts rows as it scrolls, and a Recharts chart per row
// (its own store and selectors) cost several milliseconds each to mount, which made scrolling 2,000 sites stutter.
import { memo } from 'react';
import { SPARKLINE, sparklinePoints } from './availabilityModel.js';

export const Sparkline = memo(function Sparkline({ uptimes }: { uptimes: readonly (number | null)[] }) {
  const points = sparklinePoints(uptimes);
  return (
    <svg
      className="sparkline"
      width={SPARKLINE.width}
      height={SPARKLINE.height}
      viewBox={`0 0 ${SPARKLINE.width} ${SPARKLINE.height}`}
      aria-hidden="true"
    >
      {points ? <polyline points={points} className="sparkline-line" /> : null}
    </svg>
  );
});
