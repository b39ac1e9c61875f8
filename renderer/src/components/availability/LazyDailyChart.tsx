// The daily chart, loaded when one is first shown: Recharts and what it brings are ~40 % of the app's source, and the
// grid's first rows wait for the app's code to be parsed and run (docs/performance.md, 2026-12-08, second session).
// A chart whose code cannot be loaded (the host restarted on a newer build, the connection dropped) says so in its
// place instead of taking the app down with it.
import { Component, lazy, Suspense, type ReactNode } from 'react';

type Daily = { day: string; uptime: number | null }[];

const DailyChart = lazy(() => import('./DailyChart.js').then((m) => ({ default: m.DailyChart })));

class ChartLoadBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="daily-chart daily-chart-loading" role="status" data-testid="daily-chart-failed">
        The chart could not be loaded. Reload the page to try again.
      </div>
    );
  }
}

export function LazyDailyChart({ daily }: { daily: Daily }) {
  return (
    <ChartLoadBoundary>
      <Suspense
        fallback={
          <div className="daily-chart daily-chart-loading" aria-busy="true">
            Loading the chart…
          </div>
        }
      >
        <DailyChart daily={daily} />
      </Suspense>
    </ChartLoadBoundary>
  );
}
