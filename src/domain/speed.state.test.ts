import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSpeeding, isSpeedStateName, metresPerSecondToKmh, SPEED_STATES, speedStateOf } from './speed.state.js';

describe('speedStateOf', () => {
  const cases: Array<[number, string]> = [
    [0, 'GREEN'],
    [50, 'GREEN'],
    [80, 'GREEN'],
    [80.0001, 'ORANGE'],
    [100, 'ORANGE'],
    [120, 'ORANGE'],
    [120.0001, 'RED'],
    [300, 'RED'],
  ];
  for (const [speed, expected] of cases) {
    it(`${speed} km/h is ${expected}`, () => {
      assert.equal(speedStateOf(speed), expected);
    });
  }

  it('only GREEN is not speeding', () => {
    assert.equal(isSpeeding('GREEN'), false);
    assert.equal(isSpeeding('ORANGE'), true);
    assert.equal(isSpeeding('RED'), true);
  });
});

describe('metresPerSecondToKmh', () => {
  it('converts 30 m/s to exactly 108 km/h', () => {
    assert.equal(metresPerSecondToKmh(30), 108);
  });

  it('converts 0 to 0', () => {
    assert.equal(metresPerSecondToKmh(0), 0);
  });

  it('converts 33.3334 m/s to just above 120 km/h, which is RED', () => {
    const kmh = metresPerSecondToKmh(33.3334);
    assert.ok(kmh > 120, `expected > 120, got ${kmh}`);
    assert.equal(speedStateOf(kmh), 'RED');
  });

  it('rounds away floating point noise', () => {
    // 0.1 * 3.6 is 0.36000000000000004 in floating point.
    assert.equal(metresPerSecondToKmh(0.1), 0.36);
  });
});

describe('isSpeedStateName', () => {
  it('accepts the three state names', () => {
    for (const state of SPEED_STATES) assert.equal(isSpeedStateName(state), true);
  });

  it('rejects anything else', () => {
    for (const value of ['green', 'Red', '', 'BLUE', ' GREEN', 1, null, undefined, {}, ['RED']]) {
      assert.equal(isSpeedStateName(value), false, `accepted ${JSON.stringify(value)}`);
    }
  });
});
