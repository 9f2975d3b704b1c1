import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { distanceMetres } from './geo.distance.js';

const near = (actual: number, expected: number, tolerance: number) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

const coordinates = fc.record({
  latitude: fc.double({ min: -90, max: 90, noNaN: true }),
  longitude: fc.double({ min: -180, max: 180, noNaN: true }),
});

describe('distanceMetres', () => {
  it('is zero for the same point', () => {
    assert.equal(distanceMetres({ latitude: 45.5, longitude: -73.6 }, { latitude: 45.5, longitude: -73.6 }), 0);
  });

  it('measures known distances', () => {
    // One degree of latitude is about 111.2 km; one of longitude at the equator the same.
    near(distanceMetres({ latitude: 0, longitude: 0 }, { latitude: 1, longitude: 0 }), 111_195, 5);
    near(distanceMetres({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 1 }), 111_195, 5);
    // A quarter of a great circle: pi/2 earth radii.
    near(distanceMetres({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 90 }), 10_007_557, 1);
    near(distanceMetres({ latitude: 90, longitude: 0 }, { latitude: 0, longitude: 45 }), 10_007_557, 1);
    // 0.0004 degrees of latitude is about 44.5 m.
    near(distanceMetres({ latitude: 13.75, longitude: 100.5 }, { latitude: 13.7504, longitude: 100.5 }), 44.5, 0.1);
  });

  it('is symmetric, never negative and at most half the earth round', () => {
    fc.assert(
      fc.property(coordinates, coordinates, (a, b) => {
        const distance = distanceMetres(a, b);
        assert.ok(distance >= 0 && distance <= 20_016_000);
        near(distance, distanceMetres(b, a), 1e-6);
      }),
    );
  });

  it('keeps its precision near antipodal points (a triangle the haversine form broke by 0.1 m)', () => {
    const a = { latitude: 0, longitude: 179.99999790869023 };
    const b = { latitude: 6.037091348628667e-7, longitude: 0 };
    const c = { latitude: 0, longitude: 0 };
    assert.ok(distanceMetres(a, c) <= distanceMetres(a, b) + distanceMetres(b, c) + 1e-3);
  });

  it('obeys the triangle inequality', () => {
    fc.assert(
      fc.property(coordinates, coordinates, coordinates, (a, b, c) => {
        assert.ok(distanceMetres(a, c) <= distanceMetres(a, b) + distanceMetres(b, c) + 1e-3);
      }),
    );
  });
});
