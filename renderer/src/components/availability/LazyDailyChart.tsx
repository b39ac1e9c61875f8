// The daily chart, loaded when one is first shown: Recharts and what it brings are ~40 % of the app's source, and the
// grid's first rows wait for the app's code to be parsed and run (docs/performance.md, 2026-12-08, second session).
import { lazy, Suspense } from 'react';

const DailyChart = lazy(() => import('./DailyChart.js').then((m) => ({ default: m.DailyChart })));

export function LazyDailyChart({ daily }: { daily: { day: string; uptime: number | null }[] }) {
  return (
    <Suspense
      fallback={
        <div className="daily-chart daily-chart-loading" aria-busy="true">
          Loading the chart…
        </div>
      }
    >
      <DailyChart daily={daily} />
    </Suspense>
  );
}
