// When the renderer store applies what arrived (renderer/src/store/flushScheduler.ts): a person's change at the next
// frame, station reports alone at most every gap, one flush pending at a time. A fake clock runs frames and timers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pacedFrameScheduler } from '../../renderer/src/store/flushScheduler.js';
import type { SchedulerClock } from '../../renderer/src/store/flushScheduler.js';

function fakeClock() {
  let now = 0;
  let frameRequests = 0;
  let frames: (() => void)[] = [];
  let timers: { at: number; run: () => void; id: number }[] = [];
  let ids = 0;
  const clock: SchedulerClock = {
    requestFrame: (run) => {
      frameRequests++;
      frames.push(run);
    },
    now: () => now,
    setTimer: (run, ms) => {
      const id = ++ids;
      timers.push({ at: now + ms, run, id });
      return id;
    },
    clearTimer: (id) => void (timers = timers.filter((t) => t.id !== id)),
  };
  return {
    clock,
    /** Moves time on by ms, firing due timers, then draws a frame if one was asked for. */
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        now = due.at;
        timers = timers.filter((t) => t !== due);
        due.run();
      }
      now = until;
    },
    frame() {
      const due = frames;
      frames = [];
      for (const run of due) run();
    },
    get timers() {
      return timers.length;
    },
    get frameRequests() {
      return frameRequests;
    },
  };
}

describe('store flush scheduling', () => {
  it('applies the first change at the next frame, and a person’s change at the next frame even right after a flush', () => {
    const t = fakeClock();
    const schedule = pacedFrameScheduler(100, t.clock);
    const ran: string[] = [];
    schedule(() => ran.push('report'), false);
    t.frame();
    assert.deepEqual(ran, ['report']);
    t.advance(10);
    schedule(() => ran.push('edit'), true);
    t.frame();
    assert.deepEqual(ran, ['report', 'edit']);
  });

  it('holds station reports until the gap since the last flush has passed, then applies them at the next frame', () => {
    const t = fakeClock();
    const schedule = pacedFrameScheduler(100, t.clock);
    const ran: number[] = [];
    schedule(() => ran.push(1), false);
    t.frame();
    t.advance(30);
    schedule(() => ran.push(2), false);
    t.frame();
    assert.deepEqual(ran, [1], 'not within the gap');
    t.advance(69);
    t.frame();
    assert.deepEqual(ran, [1]);
    t.advance(1);
    t.frame();
    assert.deepEqual(ran, [1, 2]);
  });

  it('a person’s change cuts a waiting report flush short, and the flush runs once', () => {
    const t = fakeClock();
    const schedule = pacedFrameScheduler(100, t.clock);
    let runs = 0;
    schedule(() => runs++, false);
    t.frame();
    t.advance(20);
    schedule(() => runs++, false);
    schedule(() => runs++, true);
    t.frame();
    assert.equal(runs, 2);
    assert.equal(t.timers, 0, 'the paced wait was cancelled');
    const requests = t.frameRequests;
    t.advance(300);
    t.frame();
    assert.equal(runs, 2);
    assert.equal(t.frameRequests, requests, 'no frame asked for by a cancelled wait');
  });

  it('runs the newest flush once when asked again while a frame is pending, also when the fallback timer fires later', () => {
    const t = fakeClock();
    const schedule = pacedFrameScheduler(100, t.clock);
    const ran: string[] = [];
    schedule(() => ran.push('first'), true);
    schedule(() => ran.push('second'), false);
    schedule(() => ran.push('third'), true);
    t.frame();
    t.advance(300);
    t.frame();
    assert.deepEqual(ran, ['third']);
  });

  it('paces reports from the last flush, urgent ones included', () => {
    const t = fakeClock();
    const schedule = pacedFrameScheduler(100, t.clock);
    let runs = 0;
    t.advance(1000);
    schedule(() => runs++, true);
    t.frame();
    t.advance(50);
    schedule(() => runs++, false);
    t.advance(49);
    t.frame();
    assert.equal(runs, 1, 'waits 100 ms from the urgent flush');
    t.advance(1);
    t.frame();
    assert.equal(runs, 2);
  });

  it('applies changes without frames (a hidden tab) after a timer', () => {
    const t = fakeClock();
    const schedule = pacedFrameScheduler(100, { ...t.clock, requestFrame: null });
    let runs = 0;
    schedule(() => runs++, true);
    t.advance(249);
    assert.equal(runs, 0);
    t.advance(1);
    assert.equal(runs, 1);
  });
});
