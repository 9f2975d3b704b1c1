import { type Coordinates, distanceMetres } from './geo.distance.js';

/**
 * Two crash notifications of one ambulance within the duplicate window and further apart than this contradict
 * each other (it cannot have crashed in both places): both are kept and marked `conflict`. Closer, a second
 * notification (a sensor firing twice) is kept unmarked. Well above GPS jitter, well below what separates two places.
 */
export const CRASH_CONFLICT_DISTANCE_METRES = 50;

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

/**
 * Whether two crash notifications of one ambulance within the duplicate window contradict each other. Only an
 * exact repeat (isSameReading) is a duplicate: without device keys anyone can post a crash, so one merely near a
 * stored crash must never be dropped, or a forged crash placed where an ambulance is would hide its real one.
 */
export function isConflictingCrash(a: Coordinates, b: Coordinates): boolean {
  return distanceMetres(a, b) > CRASH_CONFLICT_DISTANCE_METRES;
}
