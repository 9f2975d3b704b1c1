import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SpeedState } from './speed.state.js';
import { segmentsByState } from './track.segments.js';

const at = (latitude: number, state: SpeedState) => ({ latitude, longitude: 0, state });

describe('track segments by state', () => {
  it('splits runs of one state and joins them without gaps', () => {
    const segments = segmentsByState([at(1, 'GREEN'), at(2, 'GREEN'), at(3, 'RED'), at(4, 'ORANGE'), at(5, 'ORANGE')]);
    assert.deepEqual(
      segments.map((segment) => [segment.state, segment.path.map(([latitude]) => latitude)]),
      [
        ['GREEN', [1, 2]],
        ['RED', [2, 3]],
        ['ORANGE', [3, 4, 5]],
      ],
    );
  });

  it('draws nothing for no points and one dot for one', () => {
    assert.deepEqual(segmentsByState([]), []);
    assert.deepEqual(segmentsByState([at(1, 'RED')]), [{ state: 'RED', path: [[1, 0]] }]);
  });
});
