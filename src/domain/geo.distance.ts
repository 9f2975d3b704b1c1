/** A point on the earth in degrees. */
export interface Coordinates {
  readonly latitude: number;
  readonly longitude: number;
}

/** Mean earth radius (IUGG), metres. */
const EARTH_RADIUS_METRES = 6_371_008.8;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Metres in one degree of latitude (and of longitude at the equator), for flat approximations. */
export const METRES_PER_DEGREE = 111_320;

/**
 * Great-circle distance in metres (the spherical Vincenty formula: unlike haversine's asin, it keeps full
 * precision up to antipodal points); within 0.5 % of the ellipsoid, plenty to compare GPS fixes.
 */
export function distanceMetres(a: Coordinates, b: Coordinates): number {
  const φ1 = radians(a.latitude);
  const φ2 = radians(b.latitude);
  const Δλ = radians(b.longitude - a.longitude);
  const y = Math.hypot(
    Math.cos(φ2) * Math.sin(Δλ),
    Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(Δλ),
  );
  const x = Math.sin(φ1) * Math.sin(φ2) + Math.cos(φ1) * Math.cos(φ2) * Math.cos(Δλ);
  return EARTH_RADIUS_METRES * Math.atan2(y, x);
}
