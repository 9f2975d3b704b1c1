import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CaughtUpCounter, itemOf } from './caught-up.js';

describe('CaughtUpCounter', () => {
  it('counts nothing before a resume', () => {
    const counter = new CaughtUpCounter();
    assert.equal(counter.received('a', 1), false);
    assert.equal(counter.count, 0);
  });

  it('counts items stored before the resume, once each, and not live ones', () => {
    const counter = new CaughtUpCounter();
    counter.resumed(1_000);
    assert.equal(counter.received('a', 900), true);
    assert.equal(counter.received('a', 900), false);
    assert.equal(counter.received('b', 999), true);
    assert.equal(counter.received('live', 1_000), false);
    assert.equal(counter.count, 2);
    counter.resumed(2_000);
    assert.equal(counter.count, 0);
    assert.equal(counter.received('a', 900), true);
  });
});

describe('itemOf', () => {
  it('reads id, cursor and stored time of a point, crash or snapshot', () => {
    assert.deepEqual(itemOf({ trackingUpdated: { id: 'p', cursor: 'c', recordedAt: '1970-01-01T00:00:01.000Z' } }), {
      id: 'p',
      cursor: 'c',
      storedAtMs: 1000,
    });
    assert.equal(
      itemOf({ snapshotUploaded: { id: 's', cursor: 'd', createdAt: '1970-01-01T00:00:02.000Z' } })?.storedAtMs,
      2000,
    );
    assert.equal(itemOf({ crashReported: { id: 'x' } })?.cursor, null);
    assert.equal(itemOf({}), null);
    assert.equal(itemOf(null), null);
  });
});
