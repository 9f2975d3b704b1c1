import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { centreOf, isInsideShape, type PlaceShape, shapeProblem } from './place.geometry.js';

const center = { latitude: 13.75, longitude: 100.5 };
const circle: PlaceShape = { kind: 'circle', center, radiusMeters: 100 };
// About 220 m × 220 m around the centre.
const square: PlaceShape = {
  kind: 'polygon',
  vertices: [
    { latitude: 13.749, longitude: 100.499 },
    { latitude: 13.749, longitude: 100.501 },
    { latitude: 13.751, longitude: 100.501 },
    { latitude: 13.751, longitude: 100.499 },
  ],
};
const north = (metres: number) => ({ latitude: center.latitude + metres / 111_320, longitude: center.longitude });

describe('place geometry', () => {
  it('puts points within the radius inside a circle and grows it by the margin', () => {
    assert.equal(isInsideShape(circle, north(90)), true);
    assert.equal(isInsideShape(circle, north(110)), false);
    assert.equal(isInsideShape(circle, north(110), 20), true);
    assert.equal(isInsideShape(circle, north(130), 20), false);
  });

  it('puts points inside a polygon by ray casting, and within the margin of its edges', () => {
    assert.equal(isInsideShape(square, center), true);
    assert.equal(isInsideShape(square, north(100)), true);
    assert.equal(isInsideShape(square, north(130)), false);
    assert.equal(isInsideShape(square, north(130), 30), true);
    assert.equal(isInsideShape(square, north(200), 30), false);
    // A concave L: the notch is outside.
    const l: PlaceShape = {
      kind: 'polygon',
      vertices: [
        { latitude: 0, longitude: 0 },
        { latitude: 0, longitude: 2 },
        { latitude: 1, longitude: 2 },
        { latitude: 1, longitude: 1 },
        { latitude: 2, longitude: 1 },
        { latitude: 2, longitude: 0 },
      ],
    };
    assert.equal(isInsideShape(l, { latitude: 0.5, longitude: 1.5 }), true);
    assert.equal(isInsideShape(l, { latitude: 1.5, longitude: 1.5 }), false);
  });

  it('centres a polygon on the mean of its vertices', () => {
    const centre = centreOf(square);
    assert.ok(Math.abs(centre.latitude - 13.75) < 1e-9 && Math.abs(centre.longitude - 100.5) < 1e-9);
    assert.deepEqual(centreOf(circle), center);
  });

  it('names what is wrong with a shape', () => {
    assert.equal(shapeProblem(circle), null);
    assert.equal(shapeProblem(square), null);
    assert.equal(shapeProblem({ ...circle, radiusMeters: 0 })?.field, 'radiusMeters');
    assert.equal(
      shapeProblem({ kind: 'circle', center: { latitude: 91, longitude: 0 }, radiusMeters: 5 })?.field,
      'latitude',
    );
    assert.equal(shapeProblem({ kind: 'polygon', vertices: square.vertices.slice(0, 2) })?.field, 'polygon');
  });
});
