// The clock of once-only work across a cluster (backend/cluster/leaderClock.ts): timers wait until this instance
// leads, run on time while it does, and wait again (due times kept) when it stops leading, so two instances never
// run the same work at once after a lost connection.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { LeaderClock } from '../../backend/cluster/leaderClock.js';

describe('LeaderClock', () => {
  it('holds timers until this instance leads, then runs them at their due times', () => {
    const clock = new ManualClock();
    const leader = new LeaderClock(clock);
    const ran: string[] = [];
    leader.after(1000, () => ran.push('once'));
    leader.every(500, () => ran.push('tick'));
    clock.advance(2000);
    assert.deepEqual(ran, []);
    assert.equal(leader.waiting, 2);
    leader.lead();
    clock.advance(0);
    assert.deepEqual(ran, ['once', 'tick'], 'overdue timers run at once');
    clock.advance(500);
    assert.deepEqual(ran, ['once', 'tick', 'tick']);
  });

  it('stops running timers when it stops leading, and resumes them when it leads again', () => {
    const clock = new ManualClock();
    const leader = new LeaderClock(clock);
    const ran: string[] = [];
    leader.lead();
    leader.every(500, () => ran.push('tick'));
    leader.after(3000, () => ran.push('window ends'));
    clock.advance(1000);
    assert.deepEqual(ran, ['tick', 'tick']);
    leader.follow();
    assert.equal(leader.isLeading, false);
    assert.equal(leader.waiting, 2);
    clock.advance(5000);
    assert.deepEqual(ran, ['tick', 'tick'], 'nothing runs while another instance leads');
    leader.lead();
    clock.advance(0);
    assert.deepEqual(ran, ['tick', 'tick', 'tick', 'window ends']);
    clock.advance(500);
    assert.deepEqual(ran, ['tick', 'tick', 'tick', 'window ends', 'tick']);
  });

  it('a cancelled timer stays cancelled across a change of leader', () => {
    const clock = new ManualClock();
    const leader = new LeaderClock(clock);
    const ran: string[] = [];
    leader.lead();
    const t = leader.after(1000, () => ran.push('x'));
    leader.follow();
    t.cancel();
    leader.lead();
    clock.advance(2000);
    assert.deepEqual(ran, []);
    assert.equal(leader.waiting, 0);
  });
});
