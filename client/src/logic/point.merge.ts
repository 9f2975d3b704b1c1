/** Anything stored with an id and a server time: positions, crashes, snapshots. */
export interface Stamped {
  readonly id: string;
  readonly time: string;
}

/** Orders by server time, then by id (the server's own order), so merging is deterministic. */
export function compareStamped(a: Stamped, b: Stamped): number {
  const byTime = Date.parse(a.time) - Date.parse(b.time);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The newer of two reports; an event that arrives late never moves an ambulance back. */
export function newest<T>(current: T | null | undefined, incoming: T, stamp: (item: T) => Stamped): T {
  if (current === null || current === undefined) return incoming;
  return compareStamped(stamp(incoming), stamp(current)) > 0 ? incoming : current;
}

/**
 * Merges items from a query and from live events: each id once, oldest first, at most `limit` (the newest kept).
 * Returns `existing` itself when nothing new arrived, so views can skip redrawing.
 */
export function mergeById<T>(
  existing: readonly T[],
  incoming: readonly T[],
  stamp: (item: T) => Stamped,
  limit = Number.POSITIVE_INFINITY,
): readonly T[] {
  const known = new Set(existing.map((item) => stamp(item).id));
  const fresh = incoming.filter((item) => {
    const id = stamp(item).id;
    if (known.has(id)) return false;
    known.add(id);
    return true;
  });
  if (fresh.length === 0) return existing;
  const merged = [...existing, ...fresh].sort((a, b) => compareStamped(stamp(a), stamp(b)));
  return merged.length > limit ? merged.slice(merged.length - limit) : merged;
}
