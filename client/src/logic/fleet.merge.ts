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
  return withPositions(fleet, [[ambulanceId, point]], stamp);
}

/**
 * The fleet with many live positions, copied once however many there are (`fleet` itself when none is newer):
 * a thousand ambulances reporting each second must not cost a thousand copies of a thousand entries.
 */
export function withPositions<Position>(
  fleet: Fleet<Position>,
  points: ReadonlyArray<readonly [ambulanceId: string, point: Position]>,
  stamp: (position: Position) => Stamped,
): Fleet<Position> {
  let next: Map<string, FleetEntry<Position>> | null = null;
  for (const [ambulanceId, point] of points) {
    const known = (next ?? fleet).get(ambulanceId);
    const position = newest(known?.position, point, stamp);
    if (known && position === known.position) continue;
    next ??= new Map(fleet);
    next.set(ambulanceId, { id: ambulanceId, position });
  }
  return next ?? fleet;
}
