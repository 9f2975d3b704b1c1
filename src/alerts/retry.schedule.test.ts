import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextAttemptAt, type RetryPolicy, retryDelayMs } from './retry.schedule.js';

const policy: RetryPolicy = { baseMs: 2000, maxMs: 300_000, maxAttempts: 20, maxAgeMs: 86_400_000 };

describe('retry schedule', () => {
  it('doubles from the base up to the cap, waiting between half and all of each step', () => {
    const low = (attempt: number) => retryDelayMs(attempt, policy, () => 0);
    const high = (attempt: number) => retryDelayMs(attempt, policy, () => 1);
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map(high),
      [2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000],
    );
    assert.deepEqual([1, 2, 3].map(low), [1000, 2000, 4000]);
    assert.equal(high(40), 300_000, 'capped, even where 2^n overflows the cap by far');
    assert.equal(low(40), 150_000);
    for (let attempt = 1; attempt < 12; attempt++) {
      const delay = retryDelayMs(attempt, policy);
      assert.ok(delay >= low(attempt) && delay <= high(attempt), `attempt ${attempt}: ${delay}`);
    }
  });

  it('gives up after the last attempt, or when the retry would come after the maximum age', () => {
    const created = new Date('2026-01-01T00:00:00Z');
    const now = new Date(created.getTime() + 10_000);
    assert.deepEqual(
      nextAttemptAt(1, created, now, policy, () => 1),
      new Date(now.getTime() + 2000),
    );
    assert.equal(
      nextAttemptAt(20, created, now, policy, () => 0),
      null,
      'attempts used up',
    );
    assert.notEqual(
      nextAttemptAt(19, created, now, policy, () => 0),
      null,
    );
    const young = { ...policy, maxAgeMs: 11_000 };
    assert.notEqual(
      nextAttemptAt(1, created, now, young, () => 0),
      null,
      'retry at 11 s: within the age',
    );
    assert.equal(
      nextAttemptAt(1, created, now, young, () => 1),
      null,
      'retry at 12 s: past the age',
    );
  });
});
