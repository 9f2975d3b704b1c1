import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Types } from 'mongoose';
import type { ImageRecordDoc } from '../src/models/image.model.js';
import { type GraphQLResponse, graphqlRequest } from './helpers/graphql.client.js';
import { postImages, TINY_PNG } from './helpers/http.client.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface SnapshotPage {
  edges: Array<{ cursor: string; node: { id: string; ambulanceId: string; createdAt: string } }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const SNAPSHOTS = `query Snapshots($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  snapshots(ambulanceId: $id, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id ambulanceId createdAt } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

const MAX_PAGE_SIZE = 20;
const AMBULANCE = 'L1';
const OTHER = 'L2';
const STORED = 13;

function snapshots(app: TestApp, variables: Record<string, unknown>) {
  return graphqlRequest<{ snapshots: SnapshotPage }>(app.graphqlUrl, SNAPSHOTS, { id: AMBULANCE, ...variables });
}

async function snapshotPage(app: TestApp, variables: Record<string, unknown>): Promise<SnapshotPage> {
  const response = await snapshots(app, variables);
  assert.equal(response.errors, undefined, JSON.stringify(response.errors));
  const page = response.data?.snapshots;
  assert.ok(page, 'snapshots returned no page');
  return page;
}

function assertRefused(response: GraphQLResponse, code: string, argumentName: string): void {
  assert.equal(response.errors?.[0]?.extensions?.code, code, JSON.stringify(response));
  assert.equal(response.errors?.[0]?.extensions?.argumentName, argumentName, JSON.stringify(response));
  assert.equal(response.data ?? null, null);
}

describe('snapshots: the newest N (last/before), against FerretDB', () => {
  let app: TestApp;
  /** Every snapshot of AMBULANCE as the forward read returns it: the order every other read must agree with. */
  let all: SnapshotPage['edges'] = [];

  before(async () => {
    app = await startTestApp({
      env: { HISTORY_MAX_PAGE_SIZE: String(MAX_PAGE_SIZE), HISTORY_DEFAULT_PAGE_SIZE: String(MAX_PAGE_SIZE) },
    });
    // Stored out of order, with runs of equal times (ordered by id within a time), and another ambulance's
    // snapshots in between.
    const base = Date.parse('2024-03-01T08:00:00Z');
    const docs: ImageRecordDoc[] = [];
    for (let index = 0; index < STORED; index += 1) {
      const minute = Math.floor((STORED - 1 - index) / 3);
      for (const ambulanceId of index % 4 === 0 ? [AMBULANCE, OTHER] : [AMBULANCE]) {
        docs.push({
          _id: new Types.ObjectId(),
          ambulance_id: ambulanceId,
          images: { image0: `uploads/ambulance_images/${ambulanceId}/2024/3/1/8_${minute}/0_${index}.png` },
          createdAt: new Date(base + minute * 60_000),
        });
      }
    }
    await app.app.models.collections.imageRecords.insertMany(docs);
    // The newest one comes through the legacy REST upload, as devices send them.
    const upload = await postImages(app.url, AMBULANCE, [{ field: 'image0', data: TINY_PNG }]);
    assert.equal(upload.status, 200, upload.text);
    const forward = await snapshotPage(app, {});
    all = forward.edges;
  });

  after(async () => {
    await app?.close();
  });

  it('keeps forward reads as they were, now with the start cursor', async () => {
    assert.equal(all.length, STORED + 1);
    assert.ok(all.every((edge) => edge.node.ambulanceId === AMBULANCE));
    const times = all.map((edge) => Date.parse(edge.node.createdAt));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
    const firstFive = await snapshotPage(app, { first: 5 });
    assert.deepEqual(firstFive.edges, all.slice(0, 5));
    assert.deepEqual(firstFive.pageInfo, {
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: all[0]?.cursor,
      endCursor: all[4]?.cursor,
    });
  });

  it('returns the newest `last` in chronological order, with hasPreviousPage and the start cursor', async () => {
    const latest = await snapshotPage(app, { last: 4 });
    assert.deepEqual(latest.edges, all.slice(-4));
    assert.deepEqual(latest.pageInfo, {
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: all.at(-4)?.cursor,
      endCursor: all.at(-1)?.cursor,
    });
    const everything = await snapshotPage(app, { last: MAX_PAGE_SIZE });
    assert.deepEqual(everything.edges, all);
    assert.equal(everything.pageInfo.hasPreviousPage, false);
    const exactly = await snapshotPage(app, { last: all.length });
    assert.equal(exactly.edges.length, all.length);
    assert.equal(exactly.pageInfo.hasPreviousPage, false, 'no older snapshot exists beyond an exact fit');
  });

  it('pages backwards with before: startCursor, visiting every snapshot once, equal times included', async () => {
    const pages: SnapshotPage[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 10; guard += 1) {
      const page = await snapshotPage(app, { last: 3, before: cursor });
      pages.push(page);
      if (!page.pageInfo.hasPreviousPage) break;
      cursor = page.pageInfo.startCursor;
    }
    assert.deepEqual(
      pages.map((page) => page.edges.length),
      [3, 3, 3, 3, 2],
    );
    assert.deepEqual(
      pages.map((page) => page.pageInfo.hasPreviousPage),
      [true, true, true, true, false],
    );
    assert.deepEqual(
      pages.reverse().flatMap((page) => page.edges),
      all,
    );
  });

  it('reads the newest N after a cursor: what a client missed, without paging through older ones', async () => {
    const seen = all[5]?.cursor;
    const caughtUp = await snapshotPage(app, { last: 3, after: seen });
    assert.deepEqual(caughtUp.edges, all.slice(-3));
    assert.equal(caughtUp.pageInfo.hasPreviousPage, true, 'more were missed than asked for');
    const window = await snapshotPage(app, { last: 2, after: all[1]?.cursor, before: all[6]?.cursor });
    assert.deepEqual(window.edges, all.slice(4, 6));
    assert.equal(window.pageInfo.hasPreviousPage, true);
    const short = await snapshotPage(app, { last: 10, after: all.at(-3)?.cursor });
    assert.deepEqual(short.edges, all.slice(-2));
    assert.equal(short.pageInfo.hasPreviousPage, false);
    const none = await snapshotPage(app, { last: 5, after: all.at(-1)?.cursor });
    assert.deepEqual(none, {
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
    const otherAmbulance = await snapshotPage(app, { id: OTHER, last: 2 });
    assert.ok(otherAmbulance.edges.every((edge) => edge.node.ambulanceId === OTHER));
    assert.equal(otherAmbulance.edges.length, 2);
    assert.equal(otherAmbulance.pageInfo.hasPreviousPage, true);
  });

  it('refuses last with first, last out of bounds and a foreign before, with codes naming the argument', async () => {
    assertRefused(await snapshots(app, { first: 2, last: 2 }), 'BAD_USER_INPUT', 'last');
    assertRefused(await snapshots(app, { last: 0 }), 'BAD_USER_INPUT', 'last');
    assertRefused(await snapshots(app, { last: MAX_PAGE_SIZE + 1 }), 'BAD_USER_INPUT', 'last');
    const tooMany = await snapshots(app, { last: MAX_PAGE_SIZE + 1 });
    assert.match(tooMany.errors?.[0]?.message ?? '', new RegExp(`last must be between 1 and ${MAX_PAGE_SIZE}`));
    assertRefused(await snapshots(app, { last: 2, before: 'not-a-cursor' }), 'INVALID_CURSOR', 'before');
    assertRefused(await snapshots(app, { last: 2, after: `${all[0]?.cursor}x` }), 'INVALID_CURSOR', 'after');
  });
});
