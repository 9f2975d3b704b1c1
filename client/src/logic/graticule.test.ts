import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decimalsOf, formatCoordinate, gridStep, gridValues } from './graticule.js';

describe('lat/lon grid', () => {
  it('picks the nice step drawing about the number of lines asked for', () => {
    assert.equal(gridStep(180, 6), 30);
    assert.equal(gridStep(1, 4), 0.2);
    assert.equal(gridStep(0.05, 11), 0.005);
    assert.equal(gridStep(0.05, 4), 0.01);
    assert.equal(gridStep(0.000_01, 4), 0.0001);
    assert.equal(gridStep(360, 50), 10);
  });

  it('lists the multiples of the step within the bounds without floating-point dust', () => {
    assert.deepEqual(gridValues(45.46, 45.75, 0.1), [45.5, 45.6, 45.7]);
    assert.deepEqual(gridValues(-73.62, -73.55, 0.02), [-73.62, -73.6, -73.58, -73.56]);
    assert.equal(gridValues(0, 1000, 1, 10).length, 10);
  });

  it('labels coordinates with their hemisphere at the grid precision', () => {
    assert.equal(decimalsOf(0.02), 2);
    assert.equal(decimalsOf(5), 0);
    assert.equal(formatCoordinate(45.5, 'lat', 1), '45.5° N');
    assert.equal(formatCoordinate(-73.62, 'lon', 2), '73.62° W');
    assert.equal(formatCoordinate(0, 'lon', 0), '0°');
  });
});
