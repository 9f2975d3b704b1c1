import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { visibleLabels } from './label.layout.js';

const box = (id: string, x: number, y: number, priority = 3) => ({ id, x, y, width: 100, height: 20, priority });

describe('dashboard map label layout', () => {
  it('shows every label when none overlaps', () => {
    assert.deepEqual([...visibleLabels([box('a', 0, 0), box('b', 0, 30), box('c', 120, 0)])].sort(), ['a', 'b', 'c']);
  });

  it('hides the calmer of two overlapping labels', () => {
    assert.deepEqual([...visibleLabels([box('green', 0, 0, 3), box('crash', 50, 10, 0)])], ['crash']);
  });

  it('decides ties by id, so labels do not flicker between redraws', () => {
    assert.deepEqual([...visibleLabels([box('b', 0, 0), box('a', 10, 5)])], ['a']);
    assert.deepEqual([...visibleLabels([box('a', 10, 5), box('b', 0, 0)])], ['a']);
  });

  it('keeps a label that only a hidden label overlapped', () => {
    // b overlaps a (kept) and c; c overlaps only b, which is hidden, so c is shown.
    assert.deepEqual([...visibleLabels([box('a', 0, 0), box('b', 0, 15), box('c', 0, 30)])].sort(), ['a', 'c']);
  });
});
