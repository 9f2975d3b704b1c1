import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIRST_RETRY_MS, LONGEST_RETRY_MS, retryDelayMs } from './backoff.js';

describe('reconnection backoff', () => {
  it('doubles from the first delay up to the longest', () => {
    const noJitter = () => 0;
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 100].map((attempt) => retryDelayMs(attempt, noJitter)),
      [FIRST_RETRY_MS, 1000, 2000, 4000, 8000, LONGEST_RETRY_MS, LONGEST_RETRY_MS, LONGEST_RETRY_MS],
    );
  });

  it('adds at most a quarter at random', () => {
    assert.equal(
      retryDelayMs(0, () => 0.999_999),
      Math.round(FIRST_RETRY_MS * 1.25),
    );
    assert.equal(
      retryDelayMs(50, () => 1),
      Math.round(LONGEST_RETRY_MS * 1.25),
    );
  });
});
