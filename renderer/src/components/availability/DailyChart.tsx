// A site's uptime per day for the period, against the rule's 97 % (Recharts).
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { RULE_UPTIME_TARGET } from '../../../../common/uptime.js';

export function DailyChart({ daily }: { daily: { day: string; uptime: number | null }[] }) {
  const min = Math.min(90, ...daily.map((d) => d.uptime ?? 100));
  return (
    <div className="daily-chart" data-testid="daily-chart">
      <ResponsiveContainer width="100%" height={180}>
        <BarChart data={daily} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="rgba(148,163,184,0.2)" />
          <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} fontSize={11} stroke="currentColor" />
          <YAxis domain={[Math.floor(min), 100]} fontSize={11} stroke="currentColor" unit="%" />
          <Tooltip formatter={(v) => `${Number(v).toFixed(2)} %`} labelFormatter={(d) => `Day ${String(d)}`} />
          <ReferenceLine
            y={RULE_UPTIME_TARGET}
            stroke="var(--warn)"
            strokeDasharray="4 2"
            label={{ value: '97 %', fontSize: 10, fill: 'currentColor' }}
          />
          <Bar dataKey="uptime" fill="var(--st-Available)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
