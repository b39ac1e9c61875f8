// A browser tab's notification permission (renderer/src/components/alerts/alertNotifications.ts) is read from the
// browser once it can be followed, not on every alert: each read is a synchronous call to the browser's process.
// Node has no window, Notification or Permissions API: small stand-ins counting the reads take their place.
import assert from 'node:assert/strict';
import { it } from 'node:test';

let permission: NotificationPermission = 'default';
let reads = 0;
const status = new EventTarget();
const globals = globalThis as Record<string, unknown>;
globals.window = globalThis;
globals.Notification = {
  get permission() {
    reads++;
    return permission;
  },
  requestPermission: async () => (permission = 'granted'),
};
Object.defineProperty(globalThis, 'navigator', {
  value: { permissions: { query: async () => status } },
  configurable: true,
});
const { askForNotifications, notificationSupport } =
  await import('../../renderer/src/components/alerts/alertNotifications.js');

it('reads the permission once while it stays the same, and again when the browser says it changed', async () => {
  assert.equal(notificationSupport(), 'default');
  await new Promise((resolve) => setImmediate(resolve));
  const afterFollowing = reads;
  for (let i = 0; i < 100; i++) assert.equal(notificationSupport(), 'default');
  assert.equal(reads, afterFollowing, 'no read per alert');

  permission = 'denied';
  status.dispatchEvent(new Event('change'));
  assert.equal(notificationSupport(), 'denied', 'a change made in the site settings is seen');

  permission = 'default';
  status.dispatchEvent(new Event('change'));
  assert.equal(await askForNotifications(), 'granted');
  assert.equal(notificationSupport(), 'granted', 'the answer to the question is seen at once');
});
