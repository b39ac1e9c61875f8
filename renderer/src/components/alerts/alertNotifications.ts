// Opening an alert from a desktop notification. In the desktop app the shell shows the notification and sends
// `openAlert` when it is clicked. In a browser tab (the web host) the page shows them itself with the Web
// Notifications API, once the person turned them on (askForNotifications, from a click: never on page load).
import { useEffect, useRef } from 'react';
import { alertNotices } from '../../../../common/alerts.js';
import type { HostApi } from '../../api/index.js';

export interface AlertTarget {
  alertId: string | null;
  pointId: string | null;
}

export type NotificationSupport = 'unsupported' | 'default' | 'granted' | 'denied';

export function notificationSupport(): NotificationSupport {
  if (typeof window === 'undefined' || !('Notification' in window)) return 'unsupported';
  return Notification.permission;
}

/** Asks the browser for permission (must run in a click's handler). */
export async function askForNotifications(): Promise<NotificationSupport> {
  if (notificationSupport() === 'unsupported') return 'unsupported';
  return await Notification.requestPermission();
}

/** Shows new alerts as notifications in a browser tab, and opens what a clicked notification names (both hosts). */
export function useAlertNotifications(api: HostApi, onOpen: (target: AlertTarget) => void): void {
  const open = useRef(onOpen);
  open.current = onOpen;
  useEffect(() => {
    const offOpen = api.on('openAlert', (target) => open.current(target));
    if (api.kind !== 'web') return offOpen;
    const offNew = api.on('newAlerts', ({ alerts }) => {
      if (notificationSupport() !== 'granted') return;
      for (const notice of alertNotices(alerts)) {
        const n = new Notification(notice.title, { body: notice.body, tag: notice.alertId ?? 'voltboard-alerts' });
        n.onclick = () => {
          window.focus();
          open.current({ alertId: notice.alertId, pointId: notice.pointId });
          n.close();
        };
      }
    });
    return () => {
      offOpen();
      offNew();
    };
  }, [api]);
}
