import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readStatuses, withNewerStatuses } from './unit.dispatch.js';

interface Unit {
  readonly status: string;
  readonly statusSince: string | null;
}

const unit = (status: string, minute: number | null): Unit => ({
  status,
  statusSince: minute === null ? null : new Date(Date.UTC(2026, 11, 7, 10, minute)).toISOString(),
});

describe('withNewerStatuses: status changes that cross on the way', () => {
  it('applies a change, and adds a unit not known yet', () => {
    const units = new Map([['a', unit('AVAILABLE', 1)]]);
    const next = withNewerStatuses(units, [
      ['a', unit('DISPATCHED', 2)],
      ['b', unit('AT_HOSPITAL', 3)],
    ]);
    assert.deepEqual(next.get('a'), unit('DISPATCHED', 2));
    assert.deepEqual(next.get('b'), unit('AT_HOSPITAL', 3));
    assert.equal(units.get('a')?.status, 'AVAILABLE', 'the known map is not changed');
  });

  it('never puts back a status older than the one shown', () => {
    const units = new Map([['a', unit('AT_HOSPITAL', 5)]]);
    assert.equal(withNewerStatuses(units, [['a', unit('TRANSPORTING', 4)]]), units);
    assert.equal(withNewerStatuses(units, [['a', unit('TRANSPORTING', null)]]), units, 'no time is the oldest');
  });

  it('a change at the same time replaces the known one (a mutation answer and its own event)', () => {
    const units = new Map([['a', unit('DISPATCHED', 5)]]);
    assert.deepEqual(withNewerStatuses(units, [['a', unit('TRANSPORTING', 5)]]).get('a'), unit('TRANSPORTING', 5));
  });
});

describe('readStatuses: a re-read of every status against what arrived meanwhile', () => {
  it('keeps a status that arrived while the read was on its way, and takes the read where it is newer', () => {
    const read = new Map([
      ['a', unit('TRANSPORTING', 4)],
      ['b', unit('AVAILABLE', 6)],
    ]);
    const known = new Map([
      ['a', unit('AT_HOSPITAL', 5)],
      ['b', unit('DISPATCHED', 3)],
    ]);
    const merged = readStatuses(read, known);
    assert.deepEqual(merged.get('a'), unit('AT_HOSPITAL', 5));
    assert.deepEqual(merged.get('b'), unit('AVAILABLE', 6));
  });

  it('drops units the read did not list (another token sees other units)', () => {
    const merged = readStatuses(new Map([['a', unit('AVAILABLE', 1)]]), new Map([['z', unit('DISPATCHED', 9)]]));
    assert.deepEqual([...merged.keys()], ['a']);
  });
});
