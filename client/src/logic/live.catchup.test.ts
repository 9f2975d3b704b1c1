import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LiveCatchUp, type Schedule } from './live.catchup.js';
import { mergeById } from './point.merge.js';

/** A hand-driven clock: `run()` fires what is still scheduled. */
function manualSchedule() {
  const pending = new Set<() => void>();
  const schedule: Schedule = (callback) => {
    pending.add(callback);
    return () => pending.delete(callback);
  };
  return {
    schedule,
    get pending() {
      return pending.size;
    },
    run() {
      for (const callback of [...pending]) {
        pending.delete(callback);
        callback();
      }
    },
  };
}

describe('catch-up once a subscription is live', () => {
  it('asks for one read at the first event after it was armed, none for later events', () => {
    const clock = manualSchedule();
    let reads = 0;
    const catchUp = new LiveCatchUp(() => (reads += 1), 2_000, clock.schedule);
    catchUp.received();
    assert.equal(reads, 0, 'not armed yet');
    catchUp.arm();
    catchUp.received();
    catchUp.received();
    assert.equal(reads, 1);
    assert.equal(clock.pending, 0, 'the settle read is no longer needed');
    clock.run();
    assert.equal(reads, 1);
  });

  it('asks for one read after the settle delay when no event comes', () => {
    const clock = manualSchedule();
    let reads = 0;
    const catchUp = new LiveCatchUp(() => (reads += 1), 2_000, clock.schedule);
    catchUp.arm();
    clock.run();
    assert.equal(reads, 1);
    catchUp.received();
    assert.equal(reads, 1, 'an event after the settle read asks for nothing more');
  });

  it('is armed again by each restart (a reconnection) and stays quiet once disposed', () => {
    const clock = manualSchedule();
    let reads = 0;
    const catchUp = new LiveCatchUp(() => (reads += 1), 2_000, clock.schedule);
    catchUp.arm();
    catchUp.arm();
    assert.equal(clock.pending, 1, 'one settle timer per arming');
    catchUp.received();
    catchUp.arm();
    catchUp.received();
    assert.equal(reads, 2);
    catchUp.arm();
    catchUp.dispose();
    clock.run();
    catchUp.received();
    assert.equal(reads, 2);
  });

  it('shows each item once, in time order, whatever came first: events, the first read or the catch-up read', () => {
    const stamp = (item: { id: string; at: string }) => ({ id: item.id, time: item.at });
    const item = (id: string, second: number) => ({ id, at: `2026-01-01T00:00:${String(second).padStart(2, '0')}Z` });
    // Events received while the first read ran (before it answered), then the first read, which missed `c`
    // (stored before the server listened), then the catch-up read from that read's cursor.
    const events = [item('d', 4), item('b', 2)];
    const firstRead = [item('a', 1), item('b', 2)];
    const catchUpRead = [item('c', 3), item('d', 4)];
    let shown = mergeById([], events, stamp);
    shown = mergeById(shown, firstRead, stamp);
    shown = mergeById(shown, catchUpRead, stamp);
    shown = mergeById(shown, [item('d', 4), item('e', 5)], stamp);
    assert.deepEqual(
      shown.map((entry) => entry.id),
      ['a', 'b', 'c', 'd', 'e'],
    );
  });
});
