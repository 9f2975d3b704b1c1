import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeEvent, formatDistance, formatEta, parseCoordinates } from './dispatch.format.js';

const event = { place: null, status: null, previousStatus: null, note: null, by: null };

describe('dispatch formatting', () => {
  it('formats distances and ETA estimates', () => {
    assert.equal(formatDistance(850.4), '850 m');
    assert.equal(formatDistance(12_430), '12.4 km');
    assert.equal(formatEta(45), '45 s');
    assert.equal(formatEta(420), '7 min');
    assert.equal(formatEta(3900), '1 h 05 min');
  });

  it('describes events in a line', () => {
    assert.equal(
      describeEvent({ ...event, kind: 'PLACE_ENTERED', place: { name: 'City Hospital' } }),
      'at City Hospital',
    );
    assert.equal(
      describeEvent({
        ...event,
        kind: 'STATUS_CHANGED',
        previousStatus: 'TRANSPORTING',
        status: 'AT_HOSPITAL',
        by: 'system:hospital-arrival',
      }),
      'Transporting → At hospital (system:hospital-arrival)',
    );
    assert.equal(describeEvent({ ...event, kind: 'SPEEDING_STARTED', note: '130 km/h' }), 'at 130 km/h');
  });

  it('reads typed coordinates and refuses anything else', () => {
    assert.deepEqual(parseCoordinates('13.75, 100.5'), { latitude: 13.75, longitude: 100.5 });
    assert.deepEqual(parseCoordinates(' -33.9 18.4 '), { latitude: -33.9, longitude: 18.4 });
    assert.equal(parseCoordinates('95, 10'), null);
    assert.equal(parseCoordinates('here'), null);
  });
});
