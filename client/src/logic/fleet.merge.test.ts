import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Fleet, mergedFleet, withPosition, withPositions } from './fleet.merge.js';

interface Position {
  readonly id: string;
  readonly minute: number;
}

const at = (id: string, minute: number): Position => ({ id, minute });
const stamp = (position: Position) => ({
  id: position.id,
  time: new Date(Date.UTC(2026, 0, 1, 0, position.minute)).toISOString(),
});
const fleetOf = (...entries: Array<[string, Position | null]>): Fleet<Position> =>
  new Map(entries.map(([id, position]) => [id, { id, position }]));

describe('fleet merging', () => {
  it('keeps the newer of the known and the read position, and ambulances the read did not list', () => {
    const known = fleetOf(['a', at('p2', 2)], ['b', at('p3', 3)], ['c', null]);
    const merged = mergedFleet(
      known,
      [
        { id: 'a', lastPosition: at('p1', 1) },
        { id: 'b', lastPosition: at('p4', 4) },
        { id: 'd', lastPosition: null },
      ],
      false,
      stamp,
    );
    assert.deepEqual(merged, fleetOf(['a', at('p2', 2)], ['b', at('p4', 4)], ['c', null], ['d', null]));
  });

  it('after a token change keeps only the ambulances the read listed, with their known positions', () => {
    const known = fleetOf(['a', at('p2', 2)], ['b', at('p3', 3)]);
    const merged = mergedFleet(known, [{ id: 'a', lastPosition: null }], true, stamp);
    assert.deepEqual(merged, fleetOf(['a', at('p2', 2)]));
  });

  it('moves an ambulance only to a newer live position', () => {
    const fleet = fleetOf(['a', at('p2', 2)]);
    assert.equal(withPosition(fleet, 'a', at('p1', 1), stamp), fleet);
    assert.deepEqual(withPosition(fleet, 'a', at('p3', 3), stamp), fleetOf(['a', at('p3', 3)]));
    assert.deepEqual(withPosition(fleet, 'b', at('p1', 1), stamp), fleetOf(['a', at('p2', 2)], ['b', at('p1', 1)]));
    assert.equal(fleet.size, 1, 'the given fleet is not changed');
  });

  it('applies a batch of live positions in order, keeping the newest of each ambulance', () => {
    const fleet = fleetOf(['a', at('p2', 2)], ['c', at('p5', 5)]);
    const moved = withPositions(
      fleet,
      [
        ['a', at('p4', 4)],
        ['b', at('p1', 1)],
        ['a', at('p3', 3)],
        ['c', at('p4', 4)],
      ],
      stamp,
    );
    assert.deepEqual(moved, fleetOf(['a', at('p4', 4)], ['c', at('p5', 5)], ['b', at('p1', 1)]));
    assert.equal(withPositions(fleet, [['a', at('p1', 1)]], stamp), fleet, 'nothing newer: the same fleet');
    assert.equal(fleet.size, 2, 'the given fleet is not changed');
  });
});
