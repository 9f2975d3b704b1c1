import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getHeapStatistics } from 'node:v8';
import { LRUCache } from 'lru-cache';
import { growingStorage } from './lru-cache.options.js';

describe('growingStorage', () => {
  it('keeps at most maxEntries, forgetting the least recently used first', () => {
    const evicted: string[] = [];
    const cache = new LRUCache<string, number>({
      ...growingStorage(3),
      dispose: (_value, key, reason) => {
        if (reason === 'evict') evicted.push(key);
      },
    });
    for (const key of ['a', 'b', 'c']) cache.set(key, 1);
    cache.get('a');
    cache.set('d', 1);
    cache.set('e', 1);
    assert.deepEqual(evicted, ['b', 'c']);
    assert.deepEqual([...cache.keys()].sort(), ['a', 'd', 'e']);
    assert.equal(cache.size, 3);
  });

  it('takes no storage for entries that have not come', () => {
    const before = getHeapStatistics().used_heap_size;
    // With `max: 1_000_000` lru-cache allocates two arrays of a million slots (16 MB) at once.
    const cache = new LRUCache<string, number>(growingStorage(1_000_000));
    const grown = getHeapStatistics().used_heap_size - before;
    cache.set('a', 1);
    assert.equal(cache.get('a'), 1);
    assert.ok(grown < 2 * 1024 * 1024, `the heap grew by ${grown} bytes`);
  });
});
