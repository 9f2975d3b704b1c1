import { type Coordinates, distanceMetres, METRES_PER_DEGREE } from './geo.distance.js';

/** A place's area: a circle around a centre, or a polygon of at least three vertices (not closed: last ≠ first). */
export type PlaceShape =
  | { readonly kind: 'circle'; readonly center: Coordinates; readonly radiusMeters: number }
  | { readonly kind: 'polygon'; readonly vertices: readonly Coordinates[] };

/** Local planar metres around `origin` (equirectangular): exact enough within a few kilometres. */
function planar(origin: Coordinates, point: Coordinates): { x: number; y: number } {
  const cos = Math.cos((origin.latitude * Math.PI) / 180);
  return {
    x: (point.longitude - origin.longitude) * METRES_PER_DEGREE * cos,
    y: (point.latitude - origin.latitude) * METRES_PER_DEGREE,
  };
}

/** Ray casting: true when the point lies inside the polygon (points exactly on an edge may go either way). */
function insidePolygon(vertices: readonly Coordinates[], point: Coordinates): boolean {
  let inside = false;
  for (let i = 0, j = vertices.length - 1; i < vertices.length; j = i, i += 1) {
    const a = vertices[i] as Coordinates;
    const b = vertices[j] as Coordinates;
    const crosses =
      a.latitude > point.latitude !== b.latitude > point.latitude &&
      point.longitude <
        ((b.longitude - a.longitude) * (point.latitude - a.latitude)) / (b.latitude - a.latitude) + a.longitude;
    if (crosses) inside = !inside;
  }
  return inside;
}

/** Distance in metres from the point to the nearest edge of the polygon. */
function distanceToEdges(vertices: readonly Coordinates[], point: Coordinates): number {
  let nearest = Number.POSITIVE_INFINITY;
  for (let i = 0, j = vertices.length - 1; i < vertices.length; j = i, i += 1) {
    const a = planar(point, vertices[j] as Coordinates);
    const b = planar(point, vertices[i] as Coordinates);
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const lengthSquared = dx * dx + dy * dy;
    const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, -(a.x * dx + a.y * dy) / lengthSquared));
    nearest = Math.min(nearest, Math.hypot(a.x + t * dx, a.y + t * dy));
  }
  return nearest;
}

/**
 * True when the point lies inside the shape grown by `marginMeters` (0: the shape itself). The margin is the
 * hysteresis of leaving: a unit inside a place leaves it only once it is farther than the margin outside it.
 */
export function isInsideShape(shape: PlaceShape, point: Coordinates, marginMeters = 0): boolean {
  if (shape.kind === 'circle') return distanceMetres(shape.center, point) <= shape.radiusMeters + marginMeters;
  if (insidePolygon(shape.vertices, point)) return true;
  return marginMeters > 0 && distanceToEdges(shape.vertices, point) <= marginMeters;
}

/** The centre shown for a place: the circle's centre, or the mean of the polygon's vertices. */
export function centreOf(shape: PlaceShape): Coordinates {
  if (shape.kind === 'circle') return shape.center;
  const count = shape.vertices.length;
  return {
    latitude: shape.vertices.reduce((sum, vertex) => sum + vertex.latitude, 0) / count,
    longitude: shape.vertices.reduce((sum, vertex) => sum + vertex.longitude, 0) / count,
  };
}

export const MAX_PLACE_RADIUS_METERS = 50_000;
export const MAX_POLYGON_VERTICES = 500;

const validCoordinates = (point: Coordinates) =>
  Number.isFinite(point.latitude) &&
  Number.isFinite(point.longitude) &&
  Math.abs(point.latitude) <= 90 &&
  Math.abs(point.longitude) <= 180;

/** What is wrong with a shape (field name and message), or null when it is usable. */
export function shapeProblem(shape: PlaceShape): { field: string; message: string } | null {
  if (shape.kind === 'circle') {
    if (!validCoordinates(shape.center)) {
      return { field: 'latitude', message: 'latitude must be within ±90 and longitude within ±180' };
    }
    if (!(shape.radiusMeters > 0 && shape.radiusMeters <= MAX_PLACE_RADIUS_METERS)) {
      return { field: 'radiusMeters', message: `must be above 0 and at most ${MAX_PLACE_RADIUS_METERS}` };
    }
    return null;
  }
  if (shape.vertices.length < 3 || shape.vertices.length > MAX_POLYGON_VERTICES) {
    return { field: 'polygon', message: `must have between 3 and ${MAX_POLYGON_VERTICES} points` };
  }
  if (!shape.vertices.every(validCoordinates)) {
    return { field: 'polygon', message: 'every point needs a latitude within ±90 and a longitude within ±180' };
  }
  return null;
}
