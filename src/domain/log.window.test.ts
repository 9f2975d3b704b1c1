import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LogWindow } from './log.window.js';

const seqs = (ready: ReadonlyArray<{ seq: number }>) => ready.map((item) => item.seq);

describe('LogWindow', () => {
  it('hands out contiguous entries in order and holds later ones back until the gap fills', () => {
    const window = new LogWindow<string>(10);
    assert.equal(window.offer(12, 'b'), true);
    assert.deepEqual(window.take(0), []);
    assert.equal(window.gapSince(), 0);
    assert.equal(window.watermark, 10);
    window.offer(11, 'a');
    assert.deepEqual(window.take(5), [
      { seq: 11, entry: 'a' },
      { seq: 12, entry: 'b' },
    ]);
    assert.equal(window.watermark, 12);
    assert.equal(window.gapSince(), null);
  });

  it('drops duplicates and entries at or below the watermark', () => {
    const window = new LogWindow<string>(5);
    assert.equal(window.offer(5, 'old'), false);
    assert.equal(window.offer(3, 'older'), false);
    assert.equal(window.offer(7, 'x'), true);
    assert.equal(window.offer(7, 'x again'), false);
    window.offer(6, 'y');
    assert.deepEqual(seqs(window.take(0)), [6, 7]);
    assert.equal(window.offer(6, 'y again'), false);
    assert.deepEqual(window.take(0), []);
  });

  it('skips tombstones without handing them out', () => {
    const window = new LogWindow<string>(0);
    window.offer(2, 'b');
    window.offer(1, null);
    window.offer(3, null);
    assert.deepEqual(window.take(0), [{ seq: 2, entry: 'b' }]);
    assert.equal(window.watermark, 3);
  });

  it('keeps the gap clock running from the first moment the gap was seen', () => {
    const window = new LogWindow<string>(0);
    window.offer(3, 'c');
    window.take(100);
    window.offer(4, 'd');
    window.take(200);
    assert.equal(window.gapSince(), 100);
    window.offer(1, 'a');
    window.take(300);
    // 2 still missing: the clock restarts for the new gap.
    assert.equal(window.gapSince(), 300);
  });

  it('says when settled positions are missing and must be read from the store', () => {
    const window = new LogWindow<string>(4);
    assert.equal(window.missingUpTo(4), false);
    assert.equal(window.missingUpTo(6), true);
    window.offer(5, 'e');
    assert.equal(window.missingUpTo(6), false);
    window.take(0);
    assert.equal(window.missingUpTo(6), true);
  });

  it('hands out every position exactly once, in order, whatever the arrival order and repeats', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 40 }),
        (arrivals, total) => {
          const window = new LogWindow<number>(0);
          const out: number[] = [];
          for (const seq of [...arrivals, ...Array.from({ length: total }, (_, index) => index + 1)]) {
            window.offer(seq, seq);
            out.push(...seqs(window.take(0)));
          }
          const expected = Array.from({ length: Math.max(total, ...arrivals) }, (_, index) => index + 1);
          const contiguous = expected.slice(0, out.length);
          assert.deepEqual(out, contiguous);
          assert.equal(new Set(out).size, out.length);
          assert.ok(out.length >= total);
        },
      ),
    );
  });
});
