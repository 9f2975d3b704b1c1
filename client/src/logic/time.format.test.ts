import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatClock,
  formatDateTime,
  formatMinutesAgo,
  formatTime,
  fromLocalInputValue,
  toLocalInputValue,
} from './time.format.js';

describe('dashboard time format', () => {
  it('writes local time in 24 hours, zero-padded', () => {
    const afternoon = new Date(2026, 0, 2, 14, 5, 9).getTime();
    assert.equal(formatClock(afternoon), '14:05');
    assert.equal(formatTime(afternoon), '14:05:09');
    assert.equal(formatDateTime(afternoon), '2026-01-02 14:05:09');
    assert.equal(formatTime(new Date(2026, 0, 2, 0, 7, 0).getTime()), '00:07:00');
    assert.equal(toLocalInputValue(afternoon), '2026-01-02 14:05');
  });

  it('says how long ago in whole minutes', () => {
    assert.equal(formatMinutesAgo(30), 'just now');
    assert.equal(formatMinutesAgo(7 * 60 + 59), '7 min ago');
    assert.equal(formatMinutesAgo(2 * 3600 + 4 * 60), '2 h 04 min ago');
    assert.equal(formatMinutesAgo(3 * 86_400), '3 d ago');
    assert.equal(formatMinutesAgo(Number.POSITIVE_INFINITY), 'unknown');
  });

  it('reads a range field written with a space or a T, and nothing else', () => {
    const afternoon = new Date(2026, 0, 2, 14, 5).getTime();
    assert.equal(fromLocalInputValue('2026-01-02 14:05'), afternoon);
    assert.equal(fromLocalInputValue('2026-01-02T14:05'), afternoon);
    assert.ok(Number.isNaN(fromLocalInputValue('2026-01-02 2:05 PM')));
    assert.ok(Number.isNaN(fromLocalInputValue('2026-13-02 14:05')));
    // Days a month does not have are refused, not rolled over into the next month.
    assert.ok(Number.isNaN(fromLocalInputValue('2026-02-31 10:00')));
    assert.ok(Number.isNaN(fromLocalInputValue('2026-04-31 10:00')));
    assert.ok(Number.isNaN(fromLocalInputValue('2026-02-29 10:00')));
    assert.equal(fromLocalInputValue('2028-02-29 10:00'), new Date(2028, 1, 29, 10, 0).getTime());
    assert.ok(Number.isNaN(fromLocalInputValue('2026-01-02 24:00')));
    assert.ok(Number.isNaN(fromLocalInputValue('')));
  });
});
