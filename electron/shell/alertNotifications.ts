// Desktop notifications for new alerts in the desktop app: the core tells the shell of alerts new to this console,
// the shell shows Electron's Notification for each (a count when many come at once); a click brings the window to
// the front and opens the alert's point. No electron import: main.ts hands in the parts, so a test can check it.
import { alertNotices, type Alert } from '../../common/alerts.js';

export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown;
  show(): void;
}

export interface AlertNotifierParts {
  /** Whether this system can show notifications at all (Electron's Notification.isSupported()). */
  supported(): boolean;
  create(options: { title: string; body: string }): NotificationLike;
  /** Brings the console window to the front (restored if minimised). */
  focusWindow(): void;
  /** Tells the renderer to open the alert (its point selected, its drawer open; the Alerts panel for a count). */
  openAlert(target: { alertId: string | null; pointId: string | null }): void;
}

export class DesktopAlertNotifier {
  /** Shown and not yet clicked or closed: held so their click handlers are not collected with them. */
  private readonly showing = new Set<NotificationLike>();

  constructor(private readonly parts: AlertNotifierParts) {}

  /** Shows the notifications for these new alerts; returns how many. */
  notify(alerts: readonly Alert[]): number {
    if (alerts.length === 0 || !this.parts.supported()) return 0;
    const notices = alertNotices(alerts);
    for (const notice of notices) {
      const n = this.parts.create({ title: notice.title, body: notice.body });
      this.showing.add(n);
      n.on('click', () => {
        this.showing.delete(n);
        this.parts.focusWindow();
        this.parts.openAlert({ alertId: notice.alertId, pointId: notice.pointId });
      });
      n.on('close', () => this.showing.delete(n));
      n.show();
    }
    return notices.length;
  }

  get shown(): number {
    return this.showing.size;
  }
}
