import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { idRanks } from './id.order.js';

describe('dashboard id order', () => {
  it('ranks ids with their numbers in numeric order', () => {
    const ranks = idRanks(['AMB-10', 'AMB-2', 'AMB-1', 'B-1'], null);
    assert.deepEqual(
      [...ranks].sort((a, b) => a[1] - b[1]).map(([id]) => id),
      ['AMB-1', 'AMB-2', 'AMB-10', 'B-1'],
    );
  });

  it('keeps the known ranks while the members are the same, in any order', () => {
    const known = idRanks(['AMB-1', 'AMB-2'], null);
    assert.equal(idRanks(['AMB-2', 'AMB-1'], known), known);
  });

  it('ranks afresh when a member comes or goes', () => {
    const known = idRanks(['AMB-1', 'AMB-3'], null);
    const grown = idRanks(['AMB-1', 'AMB-3', 'AMB-2'], known);
    assert.notEqual(grown, known);
    assert.deepEqual([grown.get('AMB-1'), grown.get('AMB-2'), grown.get('AMB-3')], [0, 1, 2]);
    const swapped = idRanks(['AMB-1', 'AMB-4'], known);
    assert.deepEqual([swapped.get('AMB-1'), swapped.get('AMB-4'), swapped.has('AMB-3')], [0, 1, false]);
  });
});
