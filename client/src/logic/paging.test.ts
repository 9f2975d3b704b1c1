import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listPage, type Page, pageOf, readAllPages } from './paging.js';

/** A connection of numbers 1..total served `size` at a time, with cursors as the last number given. */
function numbers(total: number, size: number) {
  const calls: Array<string | null> = [];
  const fetchPage = async (after: string | null): Promise<Page<number>> => {
    calls.push(after);
    const start = after === null ? 0 : Number(after);
    const nodes = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, index) => start + index + 1);
    const last = nodes[nodes.length - 1];
    return { nodes, hasNextPage: start + size < total, endCursor: last === undefined ? null : String(last) };
  };
  return { calls, fetchPage };
}

describe('reading every page of a connection', () => {
  it('follows endCursor until the last page and reports progress', async () => {
    const source = numbers(7, 3);
    const progress: number[] = [];
    const read = await readAllPages(source.fetchPage, { onPage: (count) => progress.push(count) });
    assert.deepEqual(read.nodes, [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(read.endCursor, '7');
    assert.equal(read.complete, true);
    assert.deepEqual(source.calls, [null, '3', '6']);
    assert.deepEqual(progress, [3, 6, 7]);
  });

  it('continues after a cursor and keeps it when nothing new arrived', async () => {
    const source = numbers(7, 3);
    const read = await readAllPages(source.fetchPage, { after: '7' });
    assert.deepEqual(read.nodes, []);
    assert.equal(read.endCursor, '7');
  });

  it('stops at maxPages and says the read is incomplete', async () => {
    const read = await readAllPages(numbers(10, 2).fetchPage, { maxPages: 2 });
    assert.deepEqual(read.nodes, [1, 2, 3, 4]);
    assert.equal(read.complete, false);
    assert.equal(read.endCursor, '4');
  });
});

describe('a page of a connection', () => {
  it('holds its nodes in order and where the next page starts', () => {
    const connection = {
      edges: [{ node: 'a' }, { node: 'b' }],
      pageInfo: { hasNextPage: true, endCursor: 'b' },
    };
    assert.deepEqual(pageOf(connection), { nodes: ['a', 'b'], hasNextPage: true, endCursor: 'b' });
  });
});

describe('reading every page of a plain list with node cursors', () => {
  const fleet = Array.from({ length: 7 }, (_, index) => ({ id: `A${index}`, cursor: `c${index}` }));
  const fetchPage = async (after: string | null) => {
    const start = after === null ? 0 : fleet.findIndex((node) => node.cursor === after) + 1;
    return listPage(fleet.slice(start, start + 3), 3);
  };

  it('continues after the last node until a page comes back short', async () => {
    const read = await readAllPages(fetchPage);
    assert.deepEqual(
      read.nodes.map((node) => node.id),
      fleet.map((node) => node.id),
    );
    assert.equal(read.endCursor, 'c6');
  });

  it('reads one empty page more when the list ends exactly on a page', async () => {
    const calls: Array<string | null> = [];
    const read = await readAllPages(async (after) => {
      calls.push(after);
      const start = after === null ? 0 : fleet.findIndex((node) => node.cursor === after) + 1;
      return listPage(fleet.slice(0, 6).slice(start, start + 3), 3);
    });
    assert.equal(read.nodes.length, 6);
    assert.deepEqual(calls, [null, 'c2', 'c5']);
    assert.equal(read.endCursor, 'c5');
  });
});
