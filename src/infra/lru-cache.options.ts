import type { LRUCache } from 'lru-cache';

const ONE_PER_ENTRY = () => 1;

/**
 * lru-cache options for a cache of at most `maxEntries` entries whose storage grows as entries come. With `max`,
 * lru-cache allocates storage for all of them up front: 100,000 remembered ambulances cost ~2.8 MB of resident
 * memory before the first one arrives. Counted by size instead (each entry weighs 1), it evicts the least recently
 * used past the same bound.
 */
export function growingStorage<K extends {}, V extends {}>(maxEntries: number): LRUCache.Options<K, V, unknown> {
  return { maxSize: maxEntries, sizeCalculation: ONE_PER_ENTRY };
}
