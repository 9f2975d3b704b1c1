import { Types } from 'mongoose';
import type { PositionReport } from '../domain/position-report.js';
import { isSameReading, type Reading } from '../domain/repeated-report.rules.js';
import type { TrackingDoc } from '../models/tracking.model.js';
import { conflictingPointId, devicePointId } from '../models/tracking-point.id.js';

/** The ids a point stamped with a device time may be stored under (see tracking-point.id.ts). */
export interface DevicePointIds {
  /** Its ambulance and device time: the id of the first report of that moment. */
  readonly first: Types.ObjectId;
  /** Its ambulance, device time and reading: the id of a report that contradicts the first. */
  readonly conflicting: Types.ObjectId;
}

/** The ids a report may be stored under: none without a device time (it is never a duplicate then). */
export function devicePointIdsOf({ ambulanceId, deviceTime, ...reading }: PositionReport): DevicePointIds | null {
  if (!deviceTime) return null;
  return {
    first: devicePointId(ambulanceId, deviceTime),
    conflicting: conflictingPointId(ambulanceId, deviceTime, reading),
  };
}

/** A report to place: its reading, and its ids when it has a device time. */
export interface ReportToPlace {
  readonly ids: DevicePointIds | null;
  readonly reading: Reading;
}

/** A stored point as placing needs it. */
export type StoredPoint = Pick<TrackingDoc, '_id' | 'location' | 'speed' | 'heading' | 'conflict'>;

/** Where a report goes: nowhere (it repeats a stored or earlier report exactly), or under `id`. */
export type Placement =
  | { readonly duplicate: true }
  | { readonly duplicate: false; readonly id: Types.ObjectId; readonly conflict: boolean };

const readingOf = (point: StoredPoint): Reading => ({
  latitude: point.location.lat,
  longitude: point.location.lon,
  speed: Number(point.speed),
  heading: Number(point.heading),
});

/**
 * Places reports (in arrival order, no two with the same reading and device time) given the points already
 * stored under their ids. A report repeating a stored one exactly is a duplicate. A report that claims the
 * ambulance and device time of a stored or earlier report but measured something else is stored under its
 * own id, and it and the report it contradicts are marked: without device keys anyone may post for any
 * ambulance, so whichever came first must not hide the other. Returns the stored points to mark as well.
 */
export function placeReports(
  reports: readonly ReportToPlace[],
  stored: ReadonlyMap<string, StoredPoint>,
): { readonly placements: Placement[]; readonly contradicted: Types.ObjectId[] } {
  const contradicted = new Map<string, Types.ObjectId>();
  const claimed = new Map<string, { duplicate: false; id: Types.ObjectId; conflict: boolean }>();
  const placements = reports.map((report): Placement => {
    if (!report.ids) return { duplicate: false, id: new Types.ObjectId(), conflict: false };
    const { first, conflicting } = report.ids;
    if (stored.has(conflicting.toHexString())) return { duplicate: true };
    const key = first.toHexString();
    const storedFirst = stored.get(key);
    if (storedFirst) {
      if (isSameReading(readingOf(storedFirst), report.reading)) return { duplicate: true };
      if (storedFirst.conflict !== true) contradicted.set(key, storedFirst._id);
      return { duplicate: false, id: conflicting, conflict: true };
    }
    const earlier = claimed.get(key);
    if (earlier) {
      earlier.conflict = true;
      return { duplicate: false, id: conflicting, conflict: true };
    }
    const placement = { duplicate: false as const, id: first, conflict: false };
    claimed.set(key, placement);
    return placement;
  });
  return { placements, contradicted: [...contradicted.values()] };
}
