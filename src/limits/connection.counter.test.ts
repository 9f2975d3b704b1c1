import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionCounter } from './connection.counter.js';

describe('ConnectionCounter', () => {
  it('admits up to the cap per key, refuses one more, and admits again once one closes', () => {
    const counter = new ConnectionCounter(2);
    assert.equal(counter.tryOpen('a'), true);
    assert.equal(counter.tryOpen('a'), true);
    assert.equal(counter.tryOpen('a'), false);
    assert.equal(counter.tryOpen('b'), true, 'another key has its own count');
    counter.close('a');
    assert.equal(counter.tryOpen('a'), true);
    assert.equal(counter.tryOpen('a'), false);
  });

  it('has no cap at 0', () => {
    const counter = new ConnectionCounter(0);
    for (let n = 0; n < 1000; n += 1) assert.equal(counter.tryOpen('a'), true);
  });
});
