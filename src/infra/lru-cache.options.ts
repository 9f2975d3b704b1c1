import type { LRUCache } from 'lru-cache';

const ONE_PER_ENTRY = () => 1;

/**
 * lru-cache options for a cache of at most `maxEntries` entries whose storage grows as entries come. With `max`,
 * lru-cache allocates storage for all of them up front: 100,000 remembered ambulances cost ~2.6 MB of resident
 * memory before the first one arrives. Counted by size instead (each entry weighs 1), it evicts the least recently
 * used past the same bound. The price: a full cache takes about a third more (7.2 MB against 5.5 MB at 100,000),
 * which only fleets near the bound pay; these bounds are far above the fleets served.
 */
export function growingStorage<K extends {}, V extends {}>(maxEntries: number): LRUCache.Options<K, V, unknown> {
  return { maxSize: maxEntries, sizeCalculation: ONE_PER_ENTRY };
}
