import type { Coordinates } from './geo.distance.js';

/**
 * How long a unit needs to reach a point. An estimate behind an interface, so a routing engine (OSRM, Valhalla)
 * can replace the straight-line one without touching the callers.
 */
export interface EtaEstimator {
  etaSeconds(from: Coordinates, to: Coordinates, distanceMeters: number): number;
}

/** Great-circle distance at an average road speed: ignores roads, traffic and sirens. */
export function averageSpeedEta(averageKmh: number): EtaEstimator {
  const metresPerSecond = averageKmh / 3.6;
  return { etaSeconds: (_from, _to, distanceMeters) => Math.round(distanceMeters / metresPerSecond) };
}
