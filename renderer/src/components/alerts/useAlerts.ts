// The alerts as the core last heard them, for the panel, the header and the grid: loaded once, kept current by the
// core's `alerts` events (a console that was offline gets the full list again after its catch-up), reloaded on reset.
import { useEffect, useRef, useState } from 'react';
import type { Alert, AlertRulesState } from '../../../../common/alerts.js';
import type { HostApi } from '../../api/index.js';
import { mergeAlerts } from '../../model/alerts.js';

export interface AlertsState {
  alerts: ReadonlyMap<string, Alert>;
  /** Changes whenever the alerts do (the map is updated in place). */
  version: number;
  /** The rules in force, as last heard (null: not yet). */
  rules: AlertRulesState | null;
}

export function useAlerts(api: HostApi): AlertsState {
  const map = useRef(new Map<string, Alert>());
  const [version, setVersion] = useState(0);
  const [rules, setRules] = useState<AlertRulesState | null>(null);

  useEffect(() => {
    let gen = 0;
    const apply = (full: boolean, alerts: readonly Alert[], nextRules: AlertRulesState | null | undefined) => {
      if (mergeAlerts(map.current, full, alerts)) setVersion((v) => v + 1);
      if (nextRules) setRules(nextRules);
    };
    const load = () => {
      const mine = ++gen;
      api
        .call('getAlerts', {})
        .then((view) => mine === gen && apply(true, view.alerts, view.rules))
        .catch(() => undefined); // the host is away: the next `alerts` event or reset brings them
    };
    const offAlerts = api.on('alerts', (view) => {
      gen++; // newer than any answer still on its way
      apply(view.full, view.alerts, view.rules);
    });
    const offReset = api.on('reset', () => {
      map.current.clear();
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

  return { alerts: map.current, version, rules };
}
