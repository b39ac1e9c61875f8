// One site's daily uptime as a small line (Recharts; no animation, no tooltip: the row says the figure).
import { memo } from 'react';
import { Line, LineChart, YAxis } from 'recharts';

export const Sparkline = memo(function Sparkline({ daily }: { daily: { day: string; uptime: number | null }[] }) {
  return (
    <LineChart width={120} height={24} data={daily} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
      <YAxis hide domain={[90, 100]} allowDataOverflow />
      <Line
        type="linear"
        dataKey="uptime"
        stroke="var(--st-Occupied)"
        strokeWidth={1.5}
        dot={false}
        isAnimationActive={false}
        connectNulls
      />
    </LineChart>
  );
});
