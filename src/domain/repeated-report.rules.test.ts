import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CRASH_CONFLICT_DISTANCE_METRES, isConflictingCrash, isSameReading } from './repeated-report.rules.js';

const reading = { latitude: 13.75, longitude: 100.5, speed: 42.5, heading: 90 };

describe('isSameReading', () => {
  it('is true only when position, speed and heading are all equal', () => {
    assert.equal(isSameReading(reading, { ...reading }), true);
    assert.equal(isSameReading(reading, { ...reading, latitude: 0 }), false);
    assert.equal(isSameReading(reading, { ...reading, longitude: 0 }), false);
    assert.equal(isSameReading(reading, { ...reading, speed: 42.6 }), false);
    assert.equal(isSameReading(reading, { ...reading, heading: 91 }), false);
  });
});

describe('isConflictingCrash', () => {
  it('is a contradiction beyond the distance, not within it', () => {
    assert.equal(CRASH_CONFLICT_DISTANCE_METRES, 50);
    assert.equal(isConflictingCrash(reading, reading), false);
    // 0.0004 degrees of latitude: about 44.5 m.
    assert.equal(isConflictingCrash(reading, { latitude: 13.7504, longitude: 100.5 }), false);
    // 0.0005 degrees: about 55.6 m.
    assert.equal(isConflictingCrash(reading, { latitude: 13.7505, longitude: 100.5 }), true);
    assert.equal(isConflictingCrash(reading, { latitude: 0, longitude: 0 }), true);
  });
});
