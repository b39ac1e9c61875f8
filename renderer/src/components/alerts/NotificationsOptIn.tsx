// In a browser tab: turns desktop notifications on, from a click, saying why first. The browser asks only then.
// (In the desktop app the shell shows them without asking.)
import { useState } from 'react';
import { askForNotifications, notificationSupport } from './alertNotifications.js';

export function NotificationsOptIn({ host }: { host: 'electron' | 'web' }) {
  const [support, setSupport] = useState(notificationSupport);
  if (host === 'electron') return null;
  if (support === 'granted') {
    return (
      <p className="muted small" data-testid="notifications-state" data-state="granted">
        Desktop notifications are on: each new alert shows one; clicking it opens the point.
      </p>
    );
  }
  if (support === 'unsupported') {
    return (
      <p className="muted small" data-testid="notifications-state" data-state="unsupported">
        This browser cannot show desktop notifications: keep this panel in view.
      </p>
    );
  }
  if (support === 'denied') {
    return (
      <p className="notice notice-warn small" data-testid="notifications-state" data-state="denied">
        Desktop notifications are blocked for this page. To get them, allow notifications for it in the browser’s site
        settings.
      </p>
    );
  }
  return (
    <div className="notify-optin" data-testid="notifications-state" data-state="default">
      <p className="small">
        So that a new alert reaches you while this tab is in the background, turn on desktop notifications. Your browser
        asks once.
      </p>
      <button
        type="button"
        className="btn btn-small"
        data-testid="enable-notifications"
        onClick={() => void askForNotifications().then(setSupport)}
      >
        Turn on desktop notifications
      </button>
    </div>
  );
}
