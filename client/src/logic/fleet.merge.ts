import { newest, type Stamped } from './point.merge.js';

export interface FleetEntry<Position> {
  readonly id: string;
  readonly position: Position | null;
}

export type Fleet<Position> = ReadonlyMap<string, FleetEntry<Position>>;

/**
 * The fleet after a read of every ambulance: each keeps the newer of its known and its read position. With
 * `replace` (the token changed) ambulances the read did not list are dropped.
 */
export function mergedFleet<Position>(
  known: Fleet<Position>,
  ambulances: ReadonlyArray<{ readonly id: string; readonly lastPosition: Position | null }>,
  replace: boolean,
  stamp: (position: Position) => Stamped,
): Fleet<Position> {
  const fleet = new Map(replace ? [] : known);
  for (const ambulance of ambulances) {
    const knownPosition = known.get(ambulance.id)?.position;
    const position = ambulance.lastPosition
      ? newest(knownPosition, ambulance.lastPosition, stamp)
      : (knownPosition ?? null);
    fleet.set(ambulance.id, { id: ambulance.id, position });
  }
  return fleet;
}

/** The fleet with a live position (`fleet` itself when the position is not newer than the known one). */
export function withPosition<Position>(
  fleet: Fleet<Position>,
  ambulanceId: string,
  point: Position,
  stamp: (position: Position) => Stamped,
): Fleet<Position> {
  const known = fleet.get(ambulanceId);
  const position = newest(known?.position, point, stamp);
  if (known && position === known.position) return fleet;
  return new Map(fleet).set(ambulanceId, { id: ambulanceId, position });
}
