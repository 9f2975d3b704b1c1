/** What the dashboard knows of a unit's dispatch status: at least when it was set. */
export interface StatusStamp {
  readonly statusSince: string | null;
}

const setAt = (unit: StatusStamp | undefined): number =>
  unit?.statusSince ? Date.parse(unit.statusSince) : Number.NEGATIVE_INFINITY;

/**
 * `units` with each change applied, except where the unit already shows a status set later: answers and events
 * that cross on the way (a re-read after a reconnection, a mutation's answer, another dispatcher's change) never
 * put an older status back. `units` itself when nothing changed.
 */
export function withNewerStatuses<Unit extends StatusStamp>(
  units: ReadonlyMap<string, Unit>,
  changes: Iterable<readonly [ambulanceId: string, unit: Unit]>,
): ReadonlyMap<string, Unit> {
  let next: Map<string, Unit> | null = null;
  for (const [ambulanceId, unit] of changes) {
    const known = (next ?? units).get(ambulanceId);
    if (known === unit || setAt(known) > setAt(unit)) continue;
    next ??= new Map(units);
    next.set(ambulanceId, unit);
  }
  return next ?? units;
}

/**
 * A read of every unit's status, keeping what the dashboard learnt while the read was on its way where that is
 * newer. Units the read did not list (another token's) are dropped.
 */
export function readStatuses<Unit extends StatusStamp>(
  read: ReadonlyMap<string, Unit>,
  known: ReadonlyMap<string, Unit>,
): ReadonlyMap<string, Unit> {
  return withNewerStatuses(
    read,
    [...known].filter(([ambulanceId]) => read.has(ambulanceId)),
  );
}
