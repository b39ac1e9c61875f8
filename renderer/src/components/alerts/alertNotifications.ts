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

// Reading Notification.permission asks the browser's own process, synchronously, every time: once per `newAlerts`
// event it was one of the pages' largest script costs under a live load (docs/performance.md). Once the browser's
// permission status can be followed (the Permissions API's change event, also fired for a change made in the site
// settings), the permission is read only when it changes.
let followed: NotificationSupport | null = null;
let following = false;

export function notificationSupport(): NotificationSupport {
  if (followed !== null) return followed;
  if (typeof window === 'undefined' || !('Notification' in window)) return 'unsupported';
  if (!following && typeof navigator !== 'undefined' && navigator.permissions) {
    following = true;
    navigator.permissions.query({ name: 'notifications' }).then(
      (status) => {
        followed = Notification.permission;
        status.addEventListener('change', () => (followed = Notification.permission));
      },
      () => undefined,
    );
  }
  return Notification.permission;
}

/** Asks the browser for permission (must run in a click's handler). */
export async function askForNotifications(): Promise<NotificationSupport> {
  if (notificationSupport() === 'unsupported') return 'unsupported';
  const answer = await Notification.requestPermission();
  if (followed !== null) followed = answer;
  return answer;
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
