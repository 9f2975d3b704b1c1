import { type Coordinates, distanceMetres } from './geo.distance.js';

/**
 * A crash notification within this distance of one the same ambulance sent within the duplicate window is
 * the same crash notified again (a sensor firing twice, a device retrying); further away it is another
 * report, stored and marked as a conflict. Well above GPS jitter, well below what separates two places.
 */
export const CRASH_REPEAT_DISTANCE_METRES = 50;

/** What a device measured at one moment. */
export interface Reading extends Coordinates {
  readonly speed: number;
  readonly heading: number;
}

/**
 * Whether two tracking reports with the same ambulance and device time are one reading sent again (a
 * device retry repeats it exactly), rather than two different reports claiming the same moment.
 */
export function isSameReading(a: Reading, b: Reading): boolean {
  return a.latitude === b.latitude && a.longitude === b.longitude && a.speed === b.speed && a.heading === b.heading;
}

/** Whether a crash notification repeats one stored within the duplicate window (same ambulance assumed). */
export function isRepeatedCrash(stored: Coordinates, report: Coordinates): boolean {
  return distanceMetres(stored, report) <= CRASH_REPEAT_DISTANCE_METRES;
}
