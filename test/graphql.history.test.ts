import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildClientSchema, getIntrospectionQuery, type IntrospectionQuery, printSchema } from 'graphql';
import { Types } from 'mongoose';
import type { AmbulanceDoc } from '../src/models/ambulance.model.js';
import type { CrashDoc } from '../src/models/crash.model.js';
import type { ImageRecordDoc } from '../src/models/image.model.js';
import type { TrackingDoc } from '../src/models/tracking.model.js';
import { type GraphQLResponse, graphqlRequest } from './helpers/graphql.client.js';
import { inBatches, readCommandsDuring } from './helpers/graphql.helpers.js';
import {
  ENDPOINTS,
  getUrl,
  postFields,
  postImages,
  TINY_JPEG,
  TINY_PNG,
  trackingFields,
} from './helpers/http.client.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface Point {
  id: string;
  ambulanceId: string;
  speed: number | null;
  heading: number | null;
  state: string;
  recordedAt: string;
  speedingEpisodeId: string | null;
}

interface Page<Node> {
  edges: Array<{ cursor: string; node: Node }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const POINT_FIELDS = 'id ambulanceId speed heading state recordedAt speedingEpisodeId';

const HISTORY = `query History($id: ID!, $first: Int, $after: String, $from: DateTime, $to: DateTime) {
  trackingHistory(ambulanceId: $id, first: $first, after: $after, from: $from, to: $to) {
    edges { cursor node { ${POINT_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function history(app: TestApp, variables: Record<string, unknown>) {
  return graphqlRequest<{ trackingHistory: Page<Point> }>(app.graphqlUrl, HISTORY, variables);
}

async function historyPage(app: TestApp, variables: Record<string, unknown>): Promise<Page<Point>> {
  const response = await history(app, variables);
  assert.equal(response.errors, undefined, JSON.stringify(response.errors));
  assert.equal(response.status, 200);
  const page = response.data?.trackingHistory;
  assert.ok(page, 'trackingHistory returned no page');
  return page;
}

/** Asserts a refused request: one error with the code, no data for the field, and nothing internal in it. */
function assertRefused(response: GraphQLResponse, code: string, argumentName?: string): void {
  assert.ok(response.errors && response.errors.length > 0, `expected an error, got ${JSON.stringify(response)}`);
  assert.equal(response.errors[0]?.extensions?.code, code, JSON.stringify(response.errors));
  if (argumentName) assert.equal(response.errors[0]?.extensions?.argumentName, argumentName);
  assertNoInternals(response);
}

function assertNoInternals(response: unknown): void {
  for (const error of (response as GraphQLResponse).errors ?? []) {
    assert.equal(error.extensions?.stacktrace, undefined, 'stacktrace leaked');
    assert.equal(error.extensions?.exception, undefined, 'exception leaked');
  }
  const text = JSON.stringify(response);
  assert.doesNotMatch(text, /node_modules|\/src\/|\.ts:\d+|\bat \w+ \(/, 'internal detail leaked');
}

function post(app: TestApp, endpoint: string, fields: Record<string, unknown>) {
  return postFields(`${app.url}${endpoint}`, fields).then((response) => {
    assert.equal(response.status, 200, response.text);
    return response;
  });
}

const byTimeThenId = (a: Point, b: Point) =>
  Date.parse(a.recordedAt) - Date.parse(b.recordedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

describe('trackingHistory pagination', () => {
  let app: TestApp;
  const POINTS = 300;
  const all: Point[] = [];
  const pages: Array<Page<Point>> = [];

  before(async () => {
    app = await startTestApp();
    // H1 gets 300 points, H2 gets 30 interleaved with them.
    await inBatches(POINTS, 50, (index) =>
      Promise.all([
        post(app, ENDPOINTS.tracking, trackingFields('H1', index % 150)),
        index % 10 === 0 ? post(app, ENDPOINTS.tracking, trackingFields('H2', 33)) : Promise.resolve(null),
      ]),
    );
    let cursor: string | null = null;
    for (let guard = 0; guard < 20; guard += 1) {
      const page = await historyPage(app, { id: 'H1', first: 50, after: cursor });
      pages.push(page);
      all.push(...page.edges.map((edge) => edge.node));
      if (!page.pageInfo.hasNextPage) break;
      cursor = page.pageInfo.endCursor;
    }
  });
  after(async () => {
    await app.close();
  });

  it('walks every point exactly once, 50 at a time, and ends with hasNextPage false', async () => {
    assert.equal(pages.length, POINTS / 50);
    for (const page of pages) assert.equal(page.edges.length, 50);
    assert.deepEqual(
      pages.map((page) => page.pageInfo.hasNextPage),
      [true, true, true, true, true, false],
    );
    assert.equal(all.length, POINTS);
    assert.equal(new Set(all.map((point) => point.id)).size, POINTS, 'a point appeared twice');
    const stored = await app.app.models.collections.trackings
      .find({ ambulance_id: 'H1' }, { projection: { _id: 1 } })
      .toArray();
    assert.deepEqual(new Set(all.map((point) => point.id)), new Set(stored.map((doc) => doc._id.toHexString())));
    assert.deepEqual(
      all.map((point) => point.speed).sort((a, b) => (a ?? 0) - (b ?? 0)),
      Array.from({ length: POINTS }, (_, index) => index % 150).sort((a, b) => a - b),
    );
  });

  it('returns points in chronological order (time, then id)', () => {
    for (let index = 1; index < all.length; index += 1) {
      const previous = all[index - 1] as Point;
      const current = all[index] as Point;
      assert.ok(Date.parse(previous.recordedAt) <= Date.parse(current.recordedAt), `out of order at ${index}`);
      assert.ok(byTimeThenId(previous, current) < 0, `not strictly ordered by (time, id) at ${index}`);
    }
  });

  it('gives opaque string cursors; the last edge cursor is the endCursor', () => {
    for (const page of pages) {
      for (const edge of page.edges) {
        assert.equal(typeof edge.cursor, 'string');
        assert.match(edge.cursor, /^[A-Za-z0-9_-]+$/);
        assert.ok(!edge.cursor.includes(edge.node.id), 'cursor exposes the raw id');
      }
      assert.equal(page.pageInfo.endCursor, page.edges.at(-1)?.cursor);
    }
    const cursors = pages.flatMap((page) => page.edges.map((edge) => edge.cursor));
    assert.equal(new Set(cursors).size, cursors.length);
  });

  it('never includes points of another ambulance, and other ambulances have their own history', async () => {
    assert.ok(all.every((point) => point.ambulanceId === 'H1'));
    const other = await historyPage(app, { id: 'H2', first: 500 });
    assert.equal(other.edges.length, POINTS / 10);
    assert.ok(other.edges.every((edge) => edge.node.ambulanceId === 'H2' && edge.node.speed === 33));
    const mine = new Set(all.map((point) => point.id));
    assert.ok(other.edges.every((edge) => !mine.has(edge.node.id)));
    assert.equal(other.pageInfo.hasNextPage, false);
    const unknown = await historyPage(app, { id: 'nobody' });
    assert.deepEqual(unknown, { edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('gives the same page for the same cursor, also after new points arrived', async () => {
    const cursor = pages[1]?.pageInfo.endCursor;
    const expected = pages[2]?.edges.map((edge) => edge.node.id);
    const again = await historyPage(app, { id: 'H1', first: 50, after: cursor });
    assert.deepEqual(
      again.edges.map((edge) => edge.node.id),
      expected,
    );
    await inBatches(5, 5, () => post(app, ENDPOINTS.tracking, trackingFields('H1', 200)));
    const afterInsert = await historyPage(app, { id: 'H1', first: 50, after: cursor });
    assert.deepEqual(
      afterInsert.edges.map((edge) => edge.node.id),
      expected,
    );
    // The old last cursor now continues with exactly the new points.
    const tail = await historyPage(app, { id: 'H1', first: 50, after: pages.at(-1)?.pageInfo.endCursor });
    assert.equal(tail.edges.length, 5);
    assert.ok(tail.edges.every((edge) => edge.node.speed === 200));
    assert.equal(tail.pageInfo.hasNextPage, false);
  });

  it('filters by an inclusive from/to range', async () => {
    const from = (all[100] as Point).recordedAt;
    const to = (all[199] as Point).recordedAt;
    const expected = all.filter((point) => point.recordedAt >= from && point.recordedAt <= to).map((point) => point.id);
    assert.ok(expected.length >= 100 && expected.length < POINTS);
    const ranged = await historyPage(app, { id: 'H1', first: 500, from, to });
    assert.deepEqual(
      ranged.edges.map((edge) => edge.node.id),
      expected,
    );
    assert.ok(expected.includes((all[100] as Point).id) && expected.includes((all[199] as Point).id));

    const exact = await historyPage(app, { id: 'H1', first: 500, from, to: from });
    assert.ok(exact.edges.length >= 1);
    assert.ok(exact.edges.every((edge) => edge.node.recordedAt === from));

    const onlyTo = await historyPage(app, { id: 'H1', first: 500, to });
    assert.deepEqual(
      onlyTo.edges.map((edge) => edge.node.id),
      all.filter((point) => point.recordedAt <= to).map((point) => point.id),
    );

    // Paging inside a range stays inside it.
    const firstHalf = await historyPage(app, { id: 'H1', first: 60, from, to });
    const secondHalf = await historyPage(app, { id: 'H1', first: 500, from, to, after: firstHalf.pageInfo.endCursor });
    assert.deepEqual(
      [...firstHalf.edges, ...secondHalf.edges].map((edge) => edge.node.id),
      expected,
    );
    assert.equal(secondHalf.pageInfo.hasNextPage, false);
  });

  it('refuses from later than to with BAD_USER_INPUT', async () => {
    const response = await history(app, { id: 'H1', from: '2024-01-02T00:00:00.000Z', to: '2024-01-01T00:00:00.000Z' });
    assertRefused(response, 'BAD_USER_INPUT', 'from');
    assert.equal(response.data?.trackingHistory ?? null, null);
  });

  it('accepts first up to HISTORY_MAX_PAGE_SIZE and refuses values outside 1..max', async () => {
    assert.equal(app.config.HISTORY_MAX_PAGE_SIZE, 500);
    const max = await historyPage(app, { id: 'H1', first: 500 });
    assert.equal(max.edges.length, await app.app.models.collections.trackings.countDocuments({ ambulance_id: 'H1' }));
    assert.ok(max.edges.length > 300);
    assert.equal(max.pageInfo.hasNextPage, false);
    const one = await historyPage(app, { id: 'H1', first: 1 });
    assert.equal(one.edges.length, 1);
    assert.equal(one.pageInfo.hasNextPage, true);
    for (const first of [501, 0, -1]) {
      const response = await history(app, { id: 'H1', first });
      assertRefused(response, 'BAD_USER_INPUT', 'first');
      assert.equal(response.data?.trackingHistory ?? null, null);
    }
    // Far beyond the page size, the cost limit (which counts `first: $first` as the literal) refuses it first.
    const huge = await history(app, { id: 'H1', first: 100_000 });
    assert.equal(huge.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED', JSON.stringify(huge));
    assert.equal(huge.errors?.[0]?.extensions?.limit, 'MAX_COST');
    assert.equal(huge.data, undefined);
  });

  it('refuses a cursor it did not issue with INVALID_CURSOR', async () => {
    const forged = [
      'garbage',
      '%%%not-base64%%%',
      Buffer.from('v1:abc:zzz').toString('base64url'),
      Buffer.from(`v2:1700000000000:${'a'.repeat(24)}`).toString('base64url'),
      `${pages[0]?.pageInfo.endCursor ?? ''}x`,
      '',
    ];
    for (const after of forged) {
      const response = await history(app, { id: 'H1', first: 10, after });
      assertRefused(response, 'INVALID_CURSOR', 'after');
    }
  });

  it('refuses invalid ambulance ids with BAD_USER_INPUT', async () => {
    for (const id of ['../x', '', 'a b', 'x'.repeat(65), '$where']) {
      const response = await history(app, { id });
      assertRefused(response, 'BAD_USER_INPUT');
    }
    // A query operator smuggled in as a variable is refused by variable coercion.
    const operator = await history(app, { id: { $ne: null } });
    assertRefused(operator, 'BAD_USER_INPUT');
  });
});

describe('crashes, snapshots, ambulances and speeding episodes', () => {
  let app: TestApp;
  const EPISODE_SPEEDS = [50, 90, 120, 60, 130, 90, 125, 40];

  before(async () => {
    app = await startTestApp({ env: { CRASH_DUPLICATE_WINDOW_SECONDS: '0' } });
    // Sequential posts, so "newest" and crash order are well defined.
    for (const [ambulance, speedMs] of [
      ['C1', 10],
      ['C2', 25],
      ['C1', 40],
    ] as const) {
      await post(app, ENDPOINTS.crash, trackingFields(ambulance, speedMs));
    }
    for (const ambulance of ['A10', 'A2', 'A1']) {
      for (const speed of [10, 20, 30]) await post(app, ENDPOINTS.tracking, trackingFields(ambulance, speed));
    }
    for (const speed of EPISODE_SPEEDS) await post(app, ENDPOINTS.tracking, trackingFields('E1', speed));
    assert.equal((await postImages(app.url, 'S1', [{ field: 'image', data: TINY_PNG }])).status, 200);
    const second = await postImages(app.url, 'S1', [
      { field: 'image', data: TINY_PNG },
      { field: 'image', data: TINY_JPEG, name: 'b.jpg', type: 'image/jpeg' },
    ]);
    assert.equal(second.status, 200, second.text);
    // Each ambulance's latest position is projected just after its points are stored.
    await app.app.trackingWriter.drained();
  });
  after(async () => {
    await app.close();
  });

  const CRASHES = `query($id: ID, $first: Int) {
    crashes(ambulanceId: $id, first: $first) {
      edges { node { id ambulanceId speed heading state recordedAt mapImageUrl ambulance { id } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
  interface CrashNode {
    id: string;
    ambulanceId: string;
    speed: number;
    heading: number;
    state: string;
    recordedAt: string;
    mapImageUrl: string | null;
    ambulance: { id: string };
  }

  it('lists crashes of the whole fleet, oldest first, with speed converted to km/h', async () => {
    const response = await graphqlRequest<{ crashes: Page<CrashNode> }>(app.graphqlUrl, CRASHES);
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const nodes = response.data?.crashes.edges.map((edge) => edge.node) ?? [];
    assert.deepEqual(
      nodes.map((node) => [node.ambulanceId, node.ambulance.id, node.speed, node.state, node.heading]),
      [
        ['C1', 'C1', 36, 'GREEN', 90],
        ['C2', 'C2', 90, 'ORANGE', 90],
        ['C1', 'C1', 144, 'RED', 90],
      ],
    );
    assert.ok(
      nodes.every((node) => node.mapImageUrl === null),
      'no map key is configured',
    );
    const times = nodes.map((node) => Date.parse(node.recordedAt));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
    assert.equal(response.data?.crashes.pageInfo.hasNextPage, false);

    const paged = await graphqlRequest<{ crashes: Page<CrashNode> }>(app.graphqlUrl, CRASHES, { first: 2 });
    assert.equal(paged.data?.crashes.edges.length, 2);
    assert.equal(paged.data?.crashes.pageInfo.hasNextPage, true);
  });

  it('lists the crashes of one ambulance', async () => {
    const response = await graphqlRequest<{ crashes: Page<CrashNode> }>(app.graphqlUrl, CRASHES, { id: 'C1' });
    assert.deepEqual(
      response.data?.crashes.edges.map((edge) => [edge.node.ambulanceId, edge.node.speed]),
      [
        ['C1', 36],
        ['C1', 144],
      ],
    );
    const none = await graphqlRequest<{ crashes: Page<CrashNode> }>(app.graphqlUrl, CRASHES, { id: 'A1' });
    assert.deepEqual(none.data?.crashes.edges, []);
    assertRefused(await graphqlRequest(app.graphqlUrl, CRASHES, { id: '../C1' }), 'BAD_USER_INPUT');
    // An empty id is invalid, not "the whole fleet".
    assertRefused(await graphqlRequest(app.graphqlUrl, CRASHES, { id: '' }), 'BAD_USER_INPUT', 'ambulanceId');
    assertRefused(
      await graphqlRequest(app.graphqlUrl, '{ speedingEpisodes(ambulanceId: "") { totalCount } }'),
      'BAD_USER_INPUT',
      'ambulanceId',
    );
  });

  it('lists snapshots uploaded through REST with their image URLs, and serves the images', async () => {
    const response = await graphqlRequest<{
      snapshots: Page<{
        id: string;
        ambulanceId: string;
        createdAt: string;
        images: Array<{ name: string; url: string }>;
      }>;
    }>(
      app.graphqlUrl,
      '{ snapshots(ambulanceId: "S1") { edges { node { id ambulanceId createdAt images { name url } } } pageInfo { hasNextPage } } }',
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const nodes = response.data?.snapshots.edges.map((edge) => edge.node) ?? [];
    assert.equal(nodes.length, 2);
    assert.ok(nodes.every((node) => node.ambulanceId === 'S1'));
    assert.deepEqual(
      nodes.map((node) => node.images.map((image) => image.name)),
      [['image0'], ['image0', 'image1']],
    );
    const urlPattern =
      /^\/uploads\/ambulance_images\/S1\/\d{4}\/\d{2}\/\d{2}\/\d{2}_\d{2}\/\d{2}_\d{2}_\d{4}\.(png|jpg)$/;
    const images = nodes.flatMap((node) => node.images);
    for (const image of images) assert.match(image.url, urlPattern);
    assert.deepEqual(
      images.map((image) => image.url.split('.').at(-1)),
      ['png', 'png', 'jpg'],
    );
    const expectedBytes = [TINY_PNG, TINY_PNG, TINY_JPEG];
    for (const [index, image] of images.entries()) {
      const served = await fetch(`${app.url}${image.url}`);
      assert.equal(served.status, 200);
      assert.deepEqual(Buffer.from(await served.arrayBuffer()), expectedBytes[index]);
    }
    assert.ok(Date.parse(nodes[0]?.createdAt ?? '') <= Date.parse(nodes[1]?.createdAt ?? ''));

    const none = await graphqlRequest<{ snapshots: Page<unknown> }>(
      app.graphqlUrl,
      '{ snapshots(ambulanceId: "C1") { edges { cursor } } }',
    );
    assert.deepEqual(none.data?.snapshots.edges, []);
    assertRefused(
      await graphqlRequest(app.graphqlUrl, '{ snapshots(ambulanceId: "../S1") { edges { cursor } } }'),
      'BAD_USER_INPUT',
    );
    assertRefused(
      await graphqlRequest(app.graphqlUrl, '{ snapshots(ambulanceId: "") { edges { cursor } } }'),
      'BAD_USER_INPUT',
      'ambulanceId',
    );
  });

  it('lists every ambulance that posted, each with its newest point', async () => {
    const response = await graphqlRequest<{
      ambulances: Array<{ id: string; lastPosition: Point | null }>;
    }>(app.graphqlUrl, `{ ambulances { id lastPosition { ${POINT_FIELDS} } } }`);
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const ambulances = response.data?.ambulances ?? [];
    assert.deepEqual(
      ambulances.map((ambulance) => ambulance.id),
      // In stored id order (code point by code point), which the `_id` index serves page by page.
      ['A1', 'A10', 'A2', 'C1', 'C2', 'E1', 'S1'],
    );
    for (const id of ['A1', 'A2', 'A10', 'E1']) {
      const page = await historyPage(app, { id, first: 500 });
      const newest = page.edges.at(-1)?.node;
      const ambulance = ambulances.find((candidate) => candidate.id === id);
      assert.deepEqual(ambulance?.lastPosition, newest, `lastPosition of ${id}`);
    }
    assert.equal(ambulances.find((ambulance) => ambulance.id === 'A1')?.lastPosition?.speed, 30);
    assert.equal(ambulances.find((ambulance) => ambulance.id === 'E1')?.lastPosition?.speed, 40);
    for (const id of ['C1', 'C2', 'S1']) {
      assert.equal(ambulances.find((ambulance) => ambulance.id === id)?.lastPosition, null, `${id} never tracked`);
    }
  });

  it('finds one ambulance by id, and answers null for an unknown one', async () => {
    const query = `query($id: ID!) { ambulance(id: $id) { id lastPosition { ${POINT_FIELDS} } } }`;
    type Result = { ambulance: { id: string; lastPosition: Point | null } | null };
    const known = await graphqlRequest<Result>(app.graphqlUrl, query, { id: 'A2' });
    assert.equal(known.errors, undefined);
    assert.equal(known.data?.ambulance?.id, 'A2');
    const newest = (await historyPage(app, { id: 'A2' })).edges.at(-1)?.node;
    assert.deepEqual(known.data?.ambulance?.lastPosition, newest);

    const crashOnly = await graphqlRequest<Result>(app.graphqlUrl, query, { id: 'C2' });
    assert.deepEqual(crashOnly.data, { ambulance: { id: 'C2', lastPosition: null } });

    const unknown = await graphqlRequest<Result>(app.graphqlUrl, query, { id: '999' });
    assert.equal(unknown.errors, undefined);
    assert.deepEqual(unknown.data, { ambulance: null });

    assertRefused(await graphqlRequest(app.graphqlUrl, query, { id: '../A2' }), 'BAD_USER_INPUT', 'id');
  });

  it('groups consecutive ORANGE/RED points into speeding episodes', async () => {
    const query = `query($id: ID, $first: Int) {
      speedingEpisodes(ambulanceId: $id, first: $first) {
        totalCount
        edges { node { id ambulanceId maxState maxSpeed pointCount startedAt endedAt } }
        pageInfo { hasNextPage }
      }
    }`;
    type Episode = {
      id: string;
      ambulanceId: string;
      maxState: string;
      maxSpeed: number;
      pointCount: number;
      startedAt: string;
      endedAt: string;
    };
    const response = await graphqlRequest<{
      speedingEpisodes: Page<Episode> & { totalCount: number };
    }>(app.graphqlUrl, query, { id: 'E1' });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const episodes = response.data?.speedingEpisodes;
    assert.equal(episodes?.totalCount, 2);
    assert.deepEqual(
      episodes?.edges.map(({ node }) => [node.ambulanceId, node.maxState, node.maxSpeed, node.pointCount]),
      [
        ['E1', 'ORANGE', 120, 2],
        ['E1', 'RED', 130, 3],
      ],
    );

    const points = (await historyPage(app, { id: 'E1' })).edges.map((edge) => edge.node);
    assert.deepEqual(
      points.map((point) => point.speed),
      EPISODE_SPEEDS,
    );
    assert.deepEqual(
      points.map((point) => point.state),
      ['GREEN', 'ORANGE', 'ORANGE', 'GREEN', 'RED', 'ORANGE', 'RED', 'GREEN'],
    );
    const [first, second] = episodes?.edges.map((edge) => edge.node) ?? [];
    assert.deepEqual(
      points.map((point) => point.speedingEpisodeId),
      [null, first?.id, first?.id, null, second?.id, second?.id, second?.id, null],
    );
    assert.equal(first?.startedAt, points[1]?.recordedAt);
    assert.equal(first?.endedAt, points[2]?.recordedAt);
    assert.equal(second?.startedAt, points[4]?.recordedAt);
    assert.equal(second?.endedAt, points[6]?.recordedAt);

    const onePage = await graphqlRequest<{ speedingEpisodes: Page<Episode> & { totalCount: number } }>(
      app.graphqlUrl,
      query,
      { id: 'E1', first: 1 },
    );
    assert.equal(onePage.data?.speedingEpisodes.totalCount, 2, 'totalCount counts across pages');
    assert.equal(onePage.data?.speedingEpisodes.edges.length, 1);
    assert.equal(onePage.data?.speedingEpisodes.pageInfo.hasNextPage, true);

    const fleet = await graphqlRequest<{ speedingEpisodes: { totalCount: number } }>(
      app.graphqlUrl,
      '{ speedingEpisodes { totalCount } }',
    );
    assert.equal(fleet.data?.speedingEpisodes.totalCount, 2, 'A1/A2/A10 never exceeded 80 km/h');
    const none = await graphqlRequest<{ speedingEpisodes: { totalCount: number } }>(app.graphqlUrl, query, {
      id: 'A1',
    });
    assert.equal(none.data?.speedingEpisodes.totalCount, 0);
  });
});

describe('legacy documents', () => {
  let app: TestApp;
  const legacyId = new Types.ObjectId();
  const hex = legacyId.toHexString();
  const violationId = new Types.ObjectId();
  const t0 = new Date('2021-03-04T05:06:07.000Z');
  const t1 = new Date(t0.getTime() + 60_000);
  const t2 = new Date(t0.getTime() + 120_000);
  const ids = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()] as const;

  before(async () => {
    app = await startTestApp();
    const { collections } = app.app.models;
    await collections.ambulances.insertOne({ _id: legacyId, name: 'Legacy 7', plate: 'AB-123' } as AmbulanceDoc);
    const legacyPoint = (id: Types.ObjectId, at: Date, extra: Record<string, unknown>) =>
      ({
        _id: id,
        ambulance_id: legacyId,
        location: { lat: 23.01, lon: 72.5 },
        source_location: { lat: 23, lon: 72.4 },
        destination_location: { lat: 23.1, lon: 72.6 },
        avg_speed: 40,
        count_datetime: at,
        covered_distance: 1.2,
        estimated_time: 5,
        ...extra,
      }) as TrackingDoc;
    // Inserted newest first: the order must come from count_datetime, not insertion.
    await collections.trackings.insertMany([
      legacyPoint(ids[2], t2, { speed: 130, heading: '123.5' }),
      legacyPoint(ids[0], t0, { speed: 42, heading: '123.5', state: 'GREEN' }),
      legacyPoint(ids[1], t1, { speed: 95, heading: '200', state: 'ORANGE', speed_above_80: violationId }),
    ]);
    await collections.crashes.insertOne({
      _id: new Types.ObjectId(),
      ambulance_id: legacyId,
      location: { lat: 23.02, lon: 72.51 },
      speed: 43.2,
      heading: '45.25',
      count_datetime: t1,
      state: 'GREEN',
      location_detail: { address: 'Somewhere', image: 'https://maps.example/static.png' },
    } as CrashDoc);
    await collections.imageRecords.insertOne({
      _id: new Types.ObjectId(),
      ambulance_id: legacyId,
      images: {
        image1: `/srv/aoc/uploads/ambulance_images/${hex}/2021/3/4/5_6/6_7_1235.png`,
        image0: `uploads/ambulance_images/${hex}/2021/3/4/5_6/6_7_1234.jpg`,
      },
      createdAt: t0,
      ambulance_image_histories_id: new Types.ObjectId(),
    } as ImageRecordDoc);
  });
  after(async () => {
    await app.close();
  });

  it('reads legacy tracking points by the ObjectId hex string, with string headings parsed', async () => {
    const page = await historyPage(app, { id: hex });
    const points = page.edges.map((edge) => edge.node);
    assert.deepEqual(
      points.map((point) => point.id),
      ids.map((id) => id.toHexString()),
    );
    assert.ok(points.every((point) => point.ambulanceId === hex));
    assert.deepEqual(
      points.map((point) => point.heading),
      [123.5, 200, 123.5],
    );
    assert.deepEqual(
      points.map((point) => point.recordedAt),
      [t0, t1, t2].map((at) => at.toISOString()),
    );
    assert.deepEqual(
      points.map((point) => point.state),
      ['GREEN', 'ORANGE', 'RED'],
      'a missing state is derived from the speed',
    );
    assert.deepEqual(
      points.map((point) => point.speedingEpisodeId),
      [null, violationId.toHexString(), null],
    );

    const firstTwo = await historyPage(app, { id: hex, first: 2 });
    assert.equal(firstTwo.pageInfo.hasNextPage, true);
    const rest = await historyPage(app, { id: hex, first: 2, after: firstTwo.pageInfo.endCursor });
    assert.deepEqual(
      rest.edges.map((edge) => edge.node.id),
      [ids[2].toHexString()],
    );
    const ranged = await historyPage(app, { id: hex, from: t1.toISOString(), to: t2.toISOString() });
    assert.deepEqual(
      ranged.edges.map((edge) => edge.node.id),
      [ids[1].toHexString(), ids[2].toHexString()],
    );
  });

  it('falls back to the newest tracking point for a legacy ambulance without last_position', async () => {
    const query = `query($id: ID!) { ambulance(id: $id) { id lastPosition { ${POINT_FIELDS} } } }`;
    const response = await graphqlRequest<{ ambulance: { id: string; lastPosition: Point | null } | null }>(
      app.graphqlUrl,
      query,
      { id: hex },
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    assert.equal(response.data?.ambulance?.id, hex);
    assert.equal(response.data?.ambulance?.lastPosition?.id, ids[2].toHexString());
    assert.equal(response.data?.ambulance?.lastPosition?.heading, 123.5);
    assert.equal(response.data?.ambulance?.lastPosition?.recordedAt, t2.toISOString());

    const fleet = await graphqlRequest<{ ambulances: Array<{ id: string; lastPosition: { id: string } | null }> }>(
      app.graphqlUrl,
      '{ ambulances { id lastPosition { id } } }',
    );
    assert.deepEqual(fleet.data?.ambulances, [{ id: hex, lastPosition: { id: ids[2].toHexString() } }]);
  });

  it('reads legacy crashes and image records', async () => {
    const crashes = await graphqlRequest<{
      crashes: Page<{
        ambulanceId: string;
        heading: number;
        speed: number;
        mapImageUrl: string;
        ambulance: { id: string };
      }>;
    }>(
      app.graphqlUrl,
      'query($id: ID) { crashes(ambulanceId: $id) { edges { node { ambulanceId heading speed mapImageUrl ambulance { id } } } } }',
      { id: hex },
    );
    assert.equal(crashes.errors, undefined, JSON.stringify(crashes.errors));
    assert.deepEqual(
      crashes.data?.crashes.edges.map((edge) => edge.node),
      [
        {
          ambulanceId: hex,
          heading: 45.25,
          speed: 43.2,
          mapImageUrl: 'https://maps.example/static.png',
          ambulance: { id: hex },
        },
      ],
    );

    const snapshots = await graphqlRequest<{ snapshots: Page<{ images: Array<{ name: string; url: string }> }> }>(
      app.graphqlUrl,
      'query($id: ID!) { snapshots(ambulanceId: $id) { edges { node { images { name url } } } } }',
      { id: hex },
    );
    assert.equal(snapshots.errors, undefined, JSON.stringify(snapshots.errors));
    assert.deepEqual(snapshots.data?.snapshots.edges[0]?.node.images, [
      { name: 'image0', url: `/uploads/ambulance_images/${hex}/2021/3/4/5_6/6_7_1234.jpg` },
      { name: 'image1', url: `/uploads/ambulance_images/${hex}/2021/3/4/5_6/6_7_1235.png` },
    ]);
  });
});

describe('DataLoader batching', () => {
  let app: TestApp;
  const FLEET = Array.from({ length: 10 }, (_, index) => `D${index}`);

  async function postCrashes() {
    await Promise.all(FLEET.map((id) => post(app, ENDPOINTS.crash, trackingFields(id, 5))));
  }

  before(async () => {
    app = await startTestApp({ env: { CRASH_DUPLICATE_WINDOW_SECONDS: '0' } });
    await Promise.all(FLEET.map((id, index) => post(app, ENDPOINTS.tracking, trackingFields(id, 10 + index))));
    await postCrashes();
    await postCrashes();
    await app.app.trackingWriter.drained();
  });
  after(async () => {
    await app.close();
  });

  const CRASHES = '{ crashes(first: 50) { edges { node { id ambulance { id lastPosition { speed } } } } } }';
  type CrashesResult = {
    crashes: {
      edges: Array<{ node: { id: string; ambulance: { id: string; lastPosition: { speed: number } | null } } }>;
    };
  };

  async function crashesWithAmbulances(expectedCrashes: number) {
    // What the write side derives from the posted points and crashes (dispatch events) is not this read's work.
    await app.app.dispatch.monitor.drained();
    const { result, commands } = await readCommandsDuring(app, () =>
      graphqlRequest<CrashesResult>(app.graphqlUrl, CRASHES),
    );
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    const edges = result.data?.crashes.edges ?? [];
    assert.equal(edges.length, expectedCrashes);
    for (const { node } of edges) {
      const index = FLEET.indexOf(node.ambulance.id);
      assert.ok(index >= 0, `unexpected ambulance ${node.ambulance.id}`);
      assert.equal(node.ambulance.lastPosition?.speed, 10 + index);
    }
    return commands;
  }

  it('loads crashes with their ambulances in exactly 2 round trips', async () => {
    const commands = await crashesWithAmbulances(20);
    assert.deepEqual(commands.sort(), ['find:ambulance_crashes', 'find:ambulances']);
  });

  it('still needs exactly 2 round trips with more crashes', async () => {
    await postCrashes();
    const commands = await crashesWithAmbulances(30);
    assert.deepEqual(commands.sort(), ['find:ambulance_crashes', 'find:ambulances']);
  });

  it('loads the fleet with last positions in exactly 1 round trip', async () => {
    const { result, commands } = await readCommandsDuring(app, () =>
      graphqlRequest<{ ambulances: Array<{ id: string; lastPosition: { id: string } | null }> }>(
        app.graphqlUrl,
        '{ ambulances { id lastPosition { id } } }',
      ),
    );
    assert.equal(result.errors, undefined);
    assert.deepEqual(
      result.data?.ambulances.map((ambulance) => ambulance.id),
      FLEET,
    );
    assert.ok(result.data?.ambulances.every((ambulance) => typeof ambulance.lastPosition?.id === 'string'));
    assert.deepEqual(commands, ['find:ambulances']);
  });

  it('loads tracking points with their ambulance in exactly 2 round trips', async () => {
    const { result, commands } = await readCommandsDuring(app, () =>
      graphqlRequest<{ trackingHistory: Page<{ ambulance: { id: string; lastPosition: { speed: number } } }> }>(
        app.graphqlUrl,
        '{ trackingHistory(ambulanceId: "D3") { edges { node { ambulance { id lastPosition { speed } } } } } }',
      ),
    );
    assert.equal(result.errors, undefined);
    assert.deepEqual(
      result.data?.trackingHistory.edges.map((edge) => edge.node.ambulance),
      [{ id: 'D3', lastPosition: { speed: 13 } }],
    );
    assert.deepEqual(commands.sort(), ['find:ambulance_trackings', 'find:ambulances']);
  });
});

describe('schema and errors', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });

  it('answers introspection', async () => {
    const response = await graphqlRequest<{ __schema: { queryType: { name: string } } }>(
      app.graphqlUrl,
      '{ __schema { queryType { name } } }',
    );
    assert.equal(response.status, 200);
    assert.deepEqual(response.data, { __schema: { queryType: { name: 'Query' } } });
  });

  it('has scalar DateTime and enum SpeedState { GREEN ORANGE RED }', async () => {
    const response = await graphqlRequest<IntrospectionQuery>(app.graphqlUrl, getIntrospectionQuery());
    assert.equal(response.errors, undefined);
    assert.ok(response.data);
    const sdl = printSchema(buildClientSchema(response.data));
    assert.match(sdl, /^scalar DateTime$/m);
    assert.match(sdl, /^enum SpeedState \{\n {2}GREEN\n {2}ORANGE\n {2}RED\n\}$/m);
    assert.match(sdl, /recordedAt: DateTime!/);
    assert.match(sdl, /state: SpeedState!/);
  });

  it('refuses an unknown field with GRAPHQL_VALIDATION_FAILED and no internals', async () => {
    const response = await graphqlRequest(app.graphqlUrl, '{ ambulances { id secretField } }');
    assert.equal(response.status, 400);
    assert.equal(response.data, undefined);
    assertRefused(response, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a syntax error with GRAPHQL_PARSE_FAILED and no internals', async () => {
    const response = await graphqlRequest(app.graphqlUrl, '{ ambulances { id ');
    assert.equal(response.status, 400);
    assertRefused(response, 'GRAPHQL_PARSE_FAILED');
  });

  it('masks an unexpected failure as INTERNAL_SERVER_ERROR without its details', async () => {
    // A corrupt stored document (no location) makes the resolver throw a TypeError.
    await app.app.models.collections.trackings.insertOne({
      _id: new Types.ObjectId(),
      ambulance_id: 'broken',
      count_datetime: new Date(),
    } as TrackingDoc);
    const response = await history(app, { id: 'broken' });
    assert.equal(response.errors?.length, 1);
    assert.deepEqual(response.errors?.[0]?.extensions, { code: 'INTERNAL_SERVER_ERROR' });
    assert.equal(response.errors?.[0]?.message, 'Internal server error');
    assert.doesNotMatch(JSON.stringify(response), /TypeError|Cannot read|location/);
    assertNoInternals(response);
  });

  it('never includes a stacktrace in any error', async () => {
    const requests: Array<[string, Record<string, unknown>]> = [
      ['{ nope }', {}],
      ['query($id: ID!) { ambulance(id: $id) { id } }', {}],
      ['query($id: ID!) { ambulance(id: $id) { id } }', { id: '../../etc/passwd' }],
      ['{ trackingHistory(ambulanceId: "1", first: 0) { edges { cursor } } }', {}],
      ['{ trackingHistory(ambulanceId: "1", after: "x") { edges { cursor } } }', {}],
      ['{ crashes(from: "not a date") { edges { cursor } } }', {}],
      ['subscription { trackingUpdated { id } }', {}],
    ];
    for (const [query, variables] of requests) {
      const response = await graphqlRequest(app.graphqlUrl, query, variables);
      assert.ok(response.errors && response.errors.length > 0, `expected errors for ${query}`);
      assertNoInternals(response);
    }
    const raw = await postFields(app.graphqlUrl, { query: 12 });
    assert.equal(raw.status, 400);
    assertNoInternals(raw.body);
    const notJson = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    assert.equal(notJson.status, 400);
    const text = await notJson.text();
    assert.doesNotMatch(text, /node_modules|\bat \w+ \(/);
    const page = await getUrl(`${app.url}/graphql?query=%7Bnope%7D`);
    assert.ok(page.status >= 400 && page.status < 500);
    assertNoInternals(page.body);
  });
});
