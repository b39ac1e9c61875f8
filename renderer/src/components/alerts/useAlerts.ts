// The alerts as the core last heard them, for the panel, the header and the grid: loaded once, kept current by the
// core's `alerts` events (a console that was offline gets the full list again after its catch-up), reloaded on reset.
import { useEffect, useRef, useState } from 'react';
import type { Alert, AlertRulesState } from '../../../../common/alerts.js';
import type { HostApi } from '../../api/index.js';
import { AlertsFeed } from '../../model/alerts.js';

export interface AlertsState {
  alerts: ReadonlyMap<string, Alert>;
  /** Changes whenever the alerts do (the map is updated in place). */
  version: number;
  /** The rules in force, as last heard (null: not yet). */
  rules: AlertRulesState | null;
}

export function useAlerts(api: HostApi): AlertsState {
  const feed = useRef(new AlertsFeed());
  const [version, setVersion] = useState(0);
  const [rules, setRules] = useState<AlertRulesState | null>(null);

  useEffect(() => {
    const f = feed.current;
    const changed = (did: boolean) => {
      if (!did) return;
      setVersion((v) => v + 1);
      setRules(f.rules);
    };
    const load = () => {
      const from = f.loading();
      api
        .call('getAlerts', {})
        .then((view) => changed(f.answered(from, view)))
        .catch(() => undefined); // the host is away: the next `alerts` event or reset brings them
    };
    const offAlerts = api.on('alerts', (view) => changed(f.event(view)));
    const offReset = api.on('reset', () => {
      f.reset();
      setVersion((v) => v + 1);
      setRules(null);
      load();
    });
    load();
    return () => {
      offAlerts();
      offReset();
    };
  }, [api]);

  return { alerts: feed.current.alerts, version, rules };
}
