import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headOf } from './stream.positions.js';

const block = (from: number, to: number) => ({ from, to, at: new Date(0), owner: `o${from}` });

describe('headOf: where a log stands', () => {
  it('an empty or missing log has nothing handed out and nothing open', () => {
    assert.deepEqual(headOf(null), { allocated: 0, settled: 0, open: [] });
    assert.deepEqual(headOf({ _id: 'trackings', next: 0, open: {} }), { allocated: 0, settled: 0, open: [] });
  });

  it('with no open block, every position handed out is settled', () => {
    assert.equal(headOf({ _id: 'crashes', next: 42 }).settled, 42);
  });

  it('the watermark stops before the oldest open block, whatever the order the blocks are listed in', () => {
    const head = headOf({ _id: 'trackings', next: 30, open: { p21: block(21, 30), p11: block(11, 15) } });
    assert.equal(head.allocated, 30);
    assert.equal(head.settled, 10);
    assert.deepEqual(
      head.open.map((open) => open.from),
      [11, 21],
    );
  });

  it('never passes the last position handed out', () => {
    assert.equal(headOf({ _id: 'snapshots', next: 5, open: { p9: block(9, 9) } }).settled, 5);
  });
});
