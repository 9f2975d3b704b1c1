import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareStamped, mergeById, newest } from './point.merge.js';

interface Point {
  readonly id: string;
  readonly recordedAt: string;
}
const stamp = (point: Point) => ({ id: point.id, time: point.recordedAt });
const p = (id: string, second: number): Point => ({
  id,
  recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
});

describe('merging positions from queries and live events', () => {
  it('orders by time, then id', () => {
    assert.ok(compareStamped(stamp(p('b', 1)), stamp(p('a', 2))) < 0);
    assert.ok(compareStamped(stamp(p('a', 1)), stamp(p('b', 1))) < 0);
    assert.equal(compareStamped(stamp(p('a', 1)), stamp(p('a', 1))), 0);
  });

  it('keeps the newest report; a late event never moves an ambulance back', () => {
    assert.equal(newest(null, p('a', 1), stamp).id, 'a');
    assert.equal(newest(p('b', 5), p('a', 1), stamp).id, 'b');
    assert.equal(newest(p('a', 1), p('b', 5), stamp).id, 'b');
  });

  it('merges each id once, oldest first, keeping the newest within the limit', () => {
    const existing = [p('a', 1), p('c', 3)];
    const merged = mergeById(existing, [p('c', 3), p('b', 2), p('d', 4), p('b', 2)], stamp);
    assert.deepEqual(
      merged.map((point) => point.id),
      ['a', 'b', 'c', 'd'],
    );
    assert.deepEqual(
      mergeById(existing, [p('d', 4)], stamp, 2).map((point) => point.id),
      ['c', 'd'],
    );
  });

  it('returns the same list when nothing is new', () => {
    const existing = [p('a', 1)];
    assert.equal(mergeById(existing, [p('a', 1)], stamp), existing);
  });
});
