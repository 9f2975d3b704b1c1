/** One collator for every sort: `localeCompare` with options builds one per call, ten thousand per redraw. */
export const compareIds = new Intl.Collator(undefined, { numeric: true }).compare;

/**
 * Each id's place in id order ("AMB-2" before "AMB-10"). `known` is returned as it is when it already ranks
 * exactly these ids, so a fleet whose positions change but whose members do not is sorted by number, not by
 * collating strings on every update.
 */
export function idRanks(
  ids: readonly string[],
  known: ReadonlyMap<string, number> | null,
): ReadonlyMap<string, number> {
  if (known && known.size === ids.length && ids.every((id) => known.has(id))) return known;
  return new Map([...ids].sort(compareIds).map((id, index) => [id, index]));
}
