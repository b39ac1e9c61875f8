// The desktop shell's alert notifications, without Electron (its binary cannot run here): what each says, when
// many collapse into one, and that a click brings the window forward and opens the alert's point.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import type { Alert } from '../../common/alerts.js';
import { faultAlert } from '../support/alertFixture.js';
import { DesktopAlertNotifier, type AlertNotifierParts } from '../../electron/shell/alertNotifications.js';

/** Stands in for Electron's Notification: an EventEmitter with show(), as Electron's is. */
class ShownNotification extends EventEmitter {
  shown = false;
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    this.shown = true;
  }
}

function alert(n: number, over: Partial<Alert> = {}): Alert {
  return faultAlert(`a${n}`, {
    pointId: `ST${n}-1`,
    stationId: `ST${n}`,
    evidence: 'station reported Faulted: GroundFailure · E42',
    ...over,
  });
}

function shell(supported = true) {
  const made: ShownNotification[] = [];
  const calls: string[] = [];
  const parts: AlertNotifierParts = {
    supported: () => supported,
    create: (options) => {
      const n = new ShownNotification(options);
      made.push(n);
      return n;
    },
    focusWindow: () => calls.push('focus'),
    openAlert: (target) => calls.push(`open ${target.alertId} ${target.pointId}`),
  };
  return { notifier: new DesktopAlertNotifier(parts), made, calls };
}

describe('desktop alert notifications (shell)', () => {
  it('one notification per new alert, saying what and where, with the evidence', () => {
    const { notifier, made } = shell();
    assert.equal(
      notifier.notify([
        alert(1),
        alert(2, { kind: 'stationOffline', pointId: null, evidence: 'station offline (2 points)' }),
      ]),
      2,
    );
    assert.deepEqual(
      made.map((n) => [n.options.title, n.options.body, n.shown]),
      [
        ['Point faulted: ST1-1', 'station reported Faulted: GroundFailure · E42', true],
        ['Station offline or silent: station ST2', 'station offline (2 points)', true],
      ],
    );
  });

  it('a click brings the window to the front and opens the alert’s point', () => {
    const { notifier, made, calls } = shell();
    notifier.notify([alert(7)]);
    assert.equal(notifier.shown, 1, 'held while shown');
    made[0].emit('click');
    assert.deepEqual(calls, ['focus', 'open a7 ST7-1']);
    assert.equal(notifier.shown, 0);
  });

  it('many at once (1,000 points faulting) are one notification that counts them and opens the panel', () => {
    const { notifier, made, calls } = shell();
    const many = Array.from({ length: 1000 }, (_, i) => alert(i, i % 10 === 0 ? { kind: 'changeNotConfirmed' } : {}));
    assert.equal(notifier.notify(many), 1);
    assert.equal(made[0].options.title, '1000 new alerts');
    assert.equal(made[0].options.body, '900 × point faulted, 100 × change not confirmed by the station');
    made[0].emit('click');
    assert.deepEqual(calls, ['focus', 'open null null']);
  });

  it('nothing where the system has no notifications; nothing for none', () => {
    assert.equal(shell(false).notifier.notify([alert(1)]), 0);
    const { notifier, made } = shell();
    assert.equal(notifier.notify([]), 0);
    assert.equal(made.length, 0);
  });

  it('a closed notification is let go', () => {
    const { notifier, made } = shell();
    notifier.notify([alert(1)]);
    made[0].emit('close');
    assert.equal(notifier.shown, 0);
  });
});
