import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'graphql-ws';
import { Types } from 'mongoose';
import { decodeCursor, encodeCursor } from '../src/domain/cursor.js';
import { trackingEventOf } from '../src/events/event.mappers.js';
import type { StreamPositions } from '../src/models/stream.positions.js';
import type { TrackingDoc } from '../src/models/tracking.model.js';
import { bearer, mintToken, startSecuredTestApp } from './helpers/auth.helpers.js';
import { graphqlRequest, type Subscription, subscribe, wsClient } from './helpers/graphql.client.js';
import { ENDPOINTS, postFields, trackingFields } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { uniqueName, waitUntil } from './helpers/test-env.js';

interface Item {
  id: string;
  ambulanceId: string;
  cursor: string;
}

const TRACKING =
  'subscription($id: ID, $after: String) { trackingUpdated(ambulanceId: $id, after: $after) { id ambulanceId cursor } }';
const CRASHES = 'subscription($after: String) { crashReported(after: $after) { id ambulanceId cursor } }';
const HISTORY =
  'query($id: ID!, $after: String) { trackingHistory(ambulanceId: $id, first: 500, after: $after) { edges { cursor node { id cursor } } pageInfo { endCursor } } }';

async function post(app: TestApp, ambulanceId: string, count = 1): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    const result = await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields(ambulanceId));
    assert.equal(result.status, 200, result.text);
  }
}

/**
 * Holds a follower's second read of the trackings head (its check after listening) until `release()`: before the
 * store is read, or after. `restore()` puts the real read back.
 */
function holdSecondHeadRead(positions: StreamPositions, when: 'before the read' | 'after the read') {
  const head = positions.head.bind(positions);
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reads = 0;
  positions.head = async (log) => {
    if (log !== 'trackings') return head(log);
    reads += 1;
    if (reads === 2 && when === 'before the read') await held;
    const now = await head(log);
    if (reads === 2 && when === 'after the read') await held;
    return now;
  };
  return {
    release: () => release(),
    reads: () => reads,
    restore: () => {
      positions.head = head;
    },
  };
}

/** A point as a writer stores it at a position it took by hand (the tests' slow or unheard writers). */
function trackingDocAt(seq: number, ambulanceId: string, countDatetime: Date): TrackingDoc {
  return {
    _id: new Types.ObjectId(),
    ambulance_id: ambulanceId,
    location: { lat: 1, lon: 2 },
    speed: 10,
    heading: 0,
    state: 'GREEN',
    count_datetime: countDatetime,
    seq,
  };
}

/** Ids of the stored points of these ambulances, in log order (what every subscriber must get). */
async function storedIds(app: TestApp, ambulanceIds: readonly string[]): Promise<string[]> {
  const docs = await app.app.models.collections.trackings
    .find({ ambulance_id: { $in: [...ambulanceIds] } }, { sort: { seq: 1 }, projection: { _id: 1 } })
    .toArray();
  return docs.map((doc) => doc._id.toHexString());
}

describe('subscriptions that resume after a cursor', () => {
  let appA: TestApp | undefined;
  let appB: TestApp | undefined;
  let appC: TestApp | undefined;
  const clients: Client[] = [];
  const subscriptions: Array<Subscription<unknown>> = [];

  const open = (app: TestApp, query: string, variables: Record<string, unknown>, params?: Record<string, unknown>) => {
    const client = wsClient(app.wsUrl, params ? { connectionParams: params } : {});
    clients.push(client);
    const subscription = subscribe<Item>(client, query, variables);
    subscriptions.push(subscription as Subscription<unknown>);
    return subscription;
  };

  before(async () => {
    const database = uniqueName('resume');
    const channelPrefix = `${uniqueName('resume')}:`;
    // All share data and events. A reads replays in small pages (paging and the seam); A and B never give a
    // position up (the trap test holds one open); C gives positions up quickly and follows only crashes.
    // These tests build situations of exact blocks (a position taken and held by hand, store reads counted), so
    // no instance takes positions ahead here: that is tested below, in position.leases and in the chaos test.
    const exact = { STREAM_RESERVE_POSITIONS: '0' };
    // A and B read the log's head only when events leave a gap (no periodic poll in a test's time): the first
    // test counts store reads, and a poll landing between a block's close and its event's arrival adds one.
    const patient = { ...exact, STREAM_GAP_ABANDON_MS: '600000', STREAM_POLL_INTERVAL_MS: '60000' };
    appA = await startTestApp({ database, channelPrefix, env: { ...patient, STREAM_REPLAY_PAGE_SIZE: '7' } });
    appB = await startTestApp({ database, channelPrefix, env: patient });
    appC = await startTestApp({ database, channelPrefix, env: { ...exact, STREAM_GAP_ABANDON_MS: '400' } });
  });

  after(async () => {
    for (const subscription of subscriptions) subscription.dispose();
    await closeAll(
      ...clients.map((client) => () => client.dispose()),
      () => appA?.close(),
      () => appB?.close(),
      () => appC?.close(),
    );
  });

  it('items carry cursors; resuming on another instance delivers exactly what was missed, then live', async () => {
    assert.ok(appA && appB);
    const ambulance = uniqueName('amb');
    const live = open(appA, TRACKING, { id: ambulance });
    // B follows the log before anything is posted (its own points then reach it as events, never from the
    // store), and both followers have made their first check, so no check can fall between a block's close
    // and its event's arrival.
    const witness = open(appB, TRACKING, { id: ambulance });
    for (const app of [appA, appB]) {
      const follower = app.app.streams.follower('TRACKING_UPDATED');
      await waitUntil(() => app.app.subscriptions.activeSubscribers > 0 && follower.stats.checks > 0, {
        message: 'a following instance',
      });
    }
    await post(appA, ambulance, 3);
    const seen = await live.waitFor(3);
    live.dispose();
    await witness.waitFor(3);
    await post(appB, ambulance, 4);
    const resumed = open(appB, TRACKING, { id: ambulance, after: seen[2]?.cursor });
    await resumed.waitFor(4);
    // A has heard B's points before it stores its own: its own would otherwise come first and open a gap,
    // and the check of that gap could read the store.
    const followerA = appA.app.streams.follower('TRACKING_UPDATED');
    const followerB = appB.app.streams.follower('TRACKING_UPDATED');
    await waitUntil(() => followerA.watermark >= followerB.watermark, { message: "B's points on A" });
    await post(appA, ambulance, 2);
    await resumed.waitFor(6);
    const all = await storedIds(appA, [ambulance]);
    assert.equal(all.length, 9);
    assert.deepEqual(
      seen.map((item) => item.id),
      all.slice(0, 3),
    );
    assert.deepEqual(
      resumed.items.map((item) => item.id),
      all.slice(3),
    );
    assert.deepEqual(resumed.errors, []);
    await witness.waitFor(9);
    assert.deepEqual(
      witness.items.map((item) => item.id),
      all,
    );
    assert.equal(appA.app.streams.followerStoreReads + appB.app.streams.followerStoreReads, 0);
  });

  it('history edges carry the item cursor; a history endCursor resumes the subscription', async () => {
    assert.ok(appA && appB);
    const ambulance = uniqueName('hist');
    await post(appB, ambulance, 5);
    const page = await graphqlRequest<{
      trackingHistory: { edges: Array<{ cursor: string; node: Item }>; pageInfo: { endCursor: string } };
    }>(appA.graphqlUrl, HISTORY, { id: ambulance });
    const history = page.data?.trackingHistory;
    assert.ok(history);
    for (const edge of history.edges) assert.equal(edge.node.cursor, edge.cursor);
    // The same string pages the history and resumes the subscription.
    const third = history.edges[2]?.cursor;
    const next = await graphqlRequest<{ trackingHistory: { edges: Array<{ node: Item }> } }>(appA.graphqlUrl, HISTORY, {
      id: ambulance,
      after: third,
    });
    assert.equal(next.data?.trackingHistory.edges.length, 2);
    // From a history cursor a resume is at least once: it may repeat items the read showed, never miss one.
    const resumed = open(appA, TRACKING, { id: ambulance, after: history.pageInfo.endCursor });
    await post(appA, ambulance, 1);
    const all = await storedIds(appA, [ambulance]);
    await waitUntil(() => resumed.items.some((item) => item.id === all[5]), { message: 'the new point' });
    const ids = resumed.items.map((item) => item.id);
    assert.equal(new Set(ids).size, ids.length, 'no item twice within the subscription');
    assert.deepEqual(ids, all.slice(all.length - ids.length), 'a tail of the log, in order');
    assert.ok(ids.length <= 2, `replayed only around the cursor: ${ids.length}`);
  });

  it('refuses malformed cursors (INVALID_CURSOR), and too old or foreign ones (CURSOR_EXPIRED)', async () => {
    assert.ok(appA);
    const codeOf = async (after: string) => {
      const subscription = open(appA as TestApp, TRACKING, { id: 'x1', after });
      await waitUntil(() => subscription.errors.length > 0, { message: 'an error' });
      const [error] = subscription.errors as Array<{ extensions?: { code?: string }; message: string }>;
      return error;
    };
    assert.equal((await codeOf('not-a-cursor'))?.extensions?.code, 'INVALID_CURSOR');
    const id = new Types.ObjectId().toHexString();
    const old = await codeOf(encodeCursor({ time: new Date(Date.now() - 25 * 3_600_000), id, seq: 1 }));
    assert.equal(old?.extensions?.code, 'CURSOR_EXPIRED');
    assert.match(old?.message ?? '', /streamCursor/);
    const foreign = await codeOf(encodeCursor({ time: new Date(), id, seq: 999_999_999 }));
    assert.equal(foreign?.extensions?.code, 'CURSOR_EXPIRED');
    // Another topic's cursor (a crash's) names a position of the crashes log, unrelated to the trackings log.
    await post(appA, uniqueName('amb'), 3);
    const crashed = await postFields(`${appA.url}${ENDPOINTS.crash}`, trackingFields(uniqueName('amb'), 20));
    assert.equal(crashed.status, 200, crashed.text);
    const crashes = await graphqlRequest<{ crashes: { edges: Array<{ cursor: string }> } }>(
      appA.graphqlUrl,
      'query { crashes(first: 100) { edges { cursor } } }',
    );
    const crashCursor = crashes.data?.crashes.edges.at(-1)?.cursor;
    assert.ok(crashCursor);
    const otherTopic = await codeOf(crashCursor);
    assert.equal(otherTopic?.extensions?.code, 'CURSOR_EXPIRED');
    assert.match(otherTopic?.message ?? '', /another topic/);
  });

  it('the seam: items stored while the replay is read are delivered once, in log order; replays are paged', async () => {
    assert.ok(appA && appB);
    const ambulance = uniqueName('seam');
    const first = open(appA, TRACKING, { id: ambulance });
    await waitUntil(() => appA?.app.subscriptions.activeSubscribers, { message: 'subscriber' });
    await post(appB, ambulance, 1);
    const [start] = await first.waitFor(1);
    first.dispose();
    await post(appB, ambulance, 60);
    const pagesBefore = appA.app.streams.replays.pages;
    const resumed = open(appA, TRACKING, { id: ambulance, after: start?.cursor });
    // Posts keep arriving on both instances while the 60 stored ones are replayed in pages of 7.
    await Promise.all([post(appA, ambulance, 20), post(appB, ambulance, 20)]);
    await resumed.waitFor(100, 30_000);
    const all = await storedIds(appA, [ambulance]);
    assert.equal(all.length, 101);
    assert.deepEqual(
      resumed.items.map((item) => item.id),
      all.slice(1),
    );
    assert.ok(appA.app.streams.replays.pages - pagesBefore >= Math.ceil(60 / 7), 'the replay was read in pages');
  });

  it('the trap: a point whose position was taken first but committed last still reaches live and resumed subscribers', async () => {
    assert.ok(appA && appB);
    const ambulance = uniqueName('trap');
    const live = open(appA, TRACKING, { id: ambulance });
    await waitUntil(() => appA?.app.subscriptions.activeSubscribers, { message: 'subscriber' });
    await post(appB, ambulance, 1);
    const [start] = await live.waitFor(1);
    // Instance A takes a position (a writer whose insert is slow) ...
    const block = await appA.app.models.positions.allocate('trackings', 1);
    // ... B stores a later point, received later, at a later position, and publishes it.
    await post(appB, ambulance, 1);
    const stored = await storedIds(appA, [ambulance]);
    assert.equal(stored.length, 2);
    // Committed, and its event has reached A, yet it is held back: the position before it is still open.
    const follower = appA.app.streams.follower('TRACKING_UPDATED');
    await waitUntil(() => follower.waiting > 0, { message: 'the later event held back on A' });
    assert.equal(live.items.length, 1);
    // Now the slow writer commits its point (received before the other one) and publishes it.
    const doc = trackingDocAt(block.from, ambulance, new Date(Date.now() - 60_000));
    await appA.app.models.collections.trackings.insertOne(doc);
    await appA.app.models.positions.close('trackings', block);
    appA.app.publisher.publish('TRACKING_UPDATED', ambulance, trackingEventOf(doc));
    await live.waitFor(3);
    const inLogOrder = await storedIds(appA, [ambulance]);
    assert.equal(inLogOrder[1], doc._id.toHexString());
    assert.deepEqual(
      live.items.map((item) => item.id),
      inLogOrder,
    );
    // A subscriber that saw only the first point, resuming anywhere, gets both, in log order.
    const resumed = open(appB, TRACKING, { id: ambulance, after: start?.cursor });
    await resumed.waitFor(2);
    assert.deepEqual(
      resumed.items.map((item) => item.id),
      inLogOrder.slice(1),
    );
  });

  it('a position whose writer died is given up with a tombstone; history never lists it', async () => {
    assert.ok(appC);
    const ambulance = uniqueName('dead');
    const crashes = open(appC, CRASHES, { after: null });
    await waitUntil(() => appC?.app.subscriptions.activeSubscribers, { message: 'subscriber' });
    const block = await appC.app.models.positions.allocate('crashes', 2);
    const result = await postFields(`${appC.url}${ENDPOINTS.crash}`, trackingFields(ambulance, 20));
    assert.equal(result.status, 200, result.text);
    const [crash] = await crashes.waitFor(1, 20_000);
    assert.equal(crash?.ambulanceId, ambulance);
    const tombstones = await appC.app.models.collections.crashes
      .find({ seq: { $gte: block.from, $lte: block.to } } as object)
      .toArray();
    assert.deepEqual(
      tombstones.map((doc) => (doc as unknown as { abandoned?: boolean }).abandoned),
      [true, true],
    );
    const history = await graphqlRequest<{ crashes: { edges: Array<{ node: Item }> } }>(
      appC.graphqlUrl,
      'query { crashes(first: 500) { edges { node { id ambulanceId cursor } } } }',
    );
    assert.equal(history.errors, undefined, JSON.stringify(history.errors));
    assert.ok(history.data?.crashes.edges.every((edge) => typeof edge.node.ambulanceId === 'string'));
    assert.ok(history.data?.crashes.edges.some((edge) => edge.node.id === crash?.id));
  });
  it('a block whose registration was lost (FerretDB v1 under contention) is settled after the abandon time', async () => {
    assert.ok(appC);
    const ambulance = uniqueName('lost');
    const crashes = open(appC, CRASHES, { after: null });
    await waitUntil(() => appC?.app.subscriptions.activeSubscribers, { message: 'subscriber' });
    // A writer took a position, then another instance's update overwrote the positions document without it.
    const block = await appC.app.models.positions.allocate('crashes', 1);
    await appC.app.models.crash.db
      .collection('stream_positions')
      .updateOne({ _id: 'crashes' } as never, { $unset: { [`open.p${block.from}`]: '' } });
    const result = await postFields(`${appC.url}${ENDPOINTS.crash}`, trackingFields(ambulance, 20));
    assert.equal(result.status, 200, result.text);
    const [crash] = await crashes.waitFor(1, 20_000);
    assert.equal(crash?.ambulanceId, ambulance);
    const filled = await appC.app.models.collections.crashes.findOne({ seq: block.from } as object);
    assert.equal(
      (filled as unknown as { abandoned?: boolean } | null)?.abandoned,
      true,
      'the lost position holds a tombstone',
    );
  });
});

describe('a resumed partner subscription', () => {
  let app: TestApp | undefined;
  let client: Client | undefined;

  before(async () => {
    app = await startSecuredTestApp();
  });

  after(async () => {
    await closeAll(
      () => client?.dispose(),
      () => app?.close(),
    );
  });

  it('replays only the ambulances its token allows', async () => {
    assert.ok(app);
    const mine = [uniqueName('mine'), uniqueName('mine')];
    const other = uniqueName('other');
    const dispatcher = await mintToken('dispatcher');
    const partner = await mintToken('partner', { ambulances: mine });
    client = wsClient(app.wsUrl, { connectionParams: bearer(dispatcher) });
    const start = subscribe<Item>(client, TRACKING, { id: mine[0] });
    await waitUntil(() => app?.app.subscriptions.activeSubscribers, { message: 'subscriber' });
    await post(app, mine[0] as string, 1);
    const [first] = await start.waitFor(1);
    start.dispose();
    for (const ambulance of [other, mine[1] as string, other, mine[0] as string, other]) await post(app, ambulance, 2);
    const partnerClient = wsClient(app.wsUrl, { connectionParams: bearer(partner) });
    const resumed = subscribe<Item>(partnerClient, TRACKING, { after: first?.cursor });
    try {
      await resumed.waitFor(4);
      await post(app, other, 1);
      await post(app, mine[1] as string, 1);
      await resumed.waitFor(5);
      const expected = (await storedIds(app, mine)).slice(1);
      assert.deepEqual(
        resumed.items.map((item) => item.id),
        expected,
      );
      assert.ok(resumed.items.every((item) => mine.includes(item.ambulanceId)));
    } finally {
      resumed.dispose();
      await partnerClient.dispose();
    }
  });

  it('answers a cursor of an ambulance it may not see as one of no item: no way to probe others’ points', async () => {
    assert.ok(app);
    const mine = uniqueName('mine');
    const other = uniqueName('other');
    const dispatcher = await mintToken('dispatcher');
    const partner = await mintToken('partner', { ambulances: [mine] });
    const dispatcherClient = wsClient(app.wsUrl, { connectionParams: bearer(dispatcher) });
    const seen = subscribe<Item>(dispatcherClient, TRACKING, { id: other });
    const partnerClient = wsClient(app.wsUrl, { connectionParams: bearer(partner) });
    try {
      await waitUntil(() => app?.app.subscriptions.activeSubscribers, { message: 'subscriber' });
      await post(app, other, 2);
      const [point] = await seen.waitFor(1);
      assert.ok(point);
      const decoded = decodeCursor(point.cursor);
      assert.ok(decoded?.seq);
      // The other ambulance's real point, and the same cursor naming an item that does not exist.
      const made = encodeCursor({ ...decoded, id: new Types.ObjectId().toHexString() });
      const answers = [];
      for (const after of [point.cursor, made]) {
        const resumed = subscribe<Item>(partnerClient, TRACKING, { id: mine, after });
        await waitUntil(() => resumed.errors.length > 0, { message: 'an error' });
        const [error] = resumed.errors as Array<{ extensions?: { code?: string }; message: string }>;
        answers.push({ code: error?.extensions?.code, message: error?.message });
        resumed.dispose();
      }
      assert.equal(answers[0]?.code, 'CURSOR_EXPIRED');
      assert.deepEqual(answers[0], answers[1]);
    } finally {
      seen.dispose();
      await dispatcherClient.dispose();
      await partnerClient.dispose();
    }
  });
});

describe('a single instance taking positions ahead (STREAM_RESERVE_AFTER_MS=0)', () => {
  let app: TestApp | undefined;
  const clients: Client[] = [];

  before(async () => {
    // No periodic poll in a test's time (see the first describe): live items must come from events alone.
    app = await startTestApp({
      env: { STREAM_RESERVE_AFTER_MS: '0', STREAM_RESERVE_HOLD_MS: '200', STREAM_POLL_INTERVAL_MS: '60000' },
    });
  });

  after(async () => {
    await closeAll(...clients.map((client) => () => client.dispose()), () => app?.close());
  });

  it('delivers live in log order, resumes exactly, and allocates far fewer times than it writes', async () => {
    assert.ok(app);
    const ambulance = uniqueName('ahead');
    const client = wsClient(app.wsUrl);
    clients.push(client);
    const live = subscribe<Item>(client, TRACKING, { id: ambulance });
    await waitUntil(() => app?.app.subscriptions.activeSubscribers, { message: 'subscriber' });
    const allocate = app.app.models.positions.allocate.bind(app.app.models.positions);
    let allocations = 0;
    app.app.models.positions.allocate = (log, count) => {
      allocations += 1;
      return allocate(log, count);
    };
    await post(app, ambulance, 30);
    await live.waitFor(30);
    const stored = await storedIds(app, [ambulance]);
    assert.deepEqual(
      live.items.map((item) => item.id),
      stored,
    );
    assert.ok(allocations < 15, `30 points one after another, ${allocations} allocations`);
    assert.equal(app.app.streams.followerStoreReads, 0, 'live items came in order: no store reads');
    // Resuming after the 10th item, on a new connection, while the reserve may still be held.
    const resumed = subscribe<Item>(client, TRACKING, { id: ambulance, after: live.items[9]?.cursor });
    await resumed.waitFor(20);
    await post(app, ambulance, 2);
    await resumed.waitFor(22);
    assert.deepEqual(
      resumed.items.map((item) => item.id),
      (await storedIds(app, [ambulance])).slice(10),
    );
    assert.equal(await app.app.models.collections.trackings.countDocuments({ abandoned: true } as object), 0);
  });
});

describe('a follower when its instance shuts down', () => {
  it('a check still running when the store closes ends quietly (no warning for operators)', async () => {
    const lines: string[] = [];
    const app = await startTestApp({
      env: { STREAM_RESERVE_POSITIONS: '0', STREAM_POLL_INTERVAL_MS: '60000', LOG_LEVEL: 'debug' },
      logTo: (line) => void lines.push(line),
    });
    const startedAt = lines.length; // what start-up logged (the open API's warning in tests) is not this test's
    const client = wsClient(app.wsUrl);
    // The check after listening waits before it reads the head, until the instance has shut down.
    const hold = holdSecondHeadRead(app.app.models.positions, 'before the read');
    try {
      const live = subscribe<Item>(client, TRACKING, { id: uniqueName('shutdown') });
      await waitUntil(() => hold.reads() >= 2, { message: 'the check after listening' });
      live.dispose();
      await client.dispose();
      await app.close();
      const follower = app.app.streams.follower('TRACKING_UPDATED');
      const checks = follower.stats.checks;
      hold.release();
      await waitUntil(() => follower.stats.checks > checks, { message: 'the held check ended' });
    } finally {
      hold.restore();
    }
    const logged = lines.slice(startedAt).map((line) => JSON.parse(line) as { level: number; msg: string });
    assert.deepEqual(
      logged.filter((line) => line.level >= 40),
      [],
    );
    assert.ok(logged.some((line) => line.msg === 'log follower check ended by shutdown'));
  });
});

describe('a follower started while the block of a stored item is still being closed', () => {
  const apps: TestApp[] = [];
  const clients: Client[] = [];

  after(async () => {
    await closeAll(...clients.map((client) => () => client.dispose()), ...apps.map((app) => () => app.close()));
  });

  /** An instance of its own per test (a follower starts once), with no periodic poll in a test's time. */
  async function freshApp(): Promise<TestApp> {
    const app = await startTestApp({ env: { STREAM_RESERVE_POSITIONS: '0', STREAM_POLL_INTERVAL_MS: '60000' } });
    apps.push(app);
    return app;
  }

  /** A writer of this instance stores a point at a position it took and publishes it, while no follower listens. */
  async function storeUnheard(app: TestApp, ambulance: string) {
    const block = await app.app.models.positions.allocate('trackings', 1);
    const doc = trackingDocAt(block.from, ambulance, new Date());
    await app.app.models.collections.trackings.insertOne(doc);
    return {
      block,
      doc,
      publish: () => app.app.publisher.publish('TRACKING_UPDATED', ambulance, trackingEventOf(doc)),
    };
  }

  function follow(app: TestApp, ambulance: string): Subscription<Item> {
    const client = wsClient(app.wsUrl);
    clients.push(client);
    return subscribe<Item>(client, TRACKING, { id: ambulance });
  }

  it('delivers the item whose event went out before it listened, without waiting for the poll', async () => {
    const app = await freshApp();
    const ambulance = uniqueName('closing');
    const positions = app.app.models.positions;
    const { block, doc, publish } = await storeUnheard(app, ambulance);
    await positions.close('trackings', block);
    publish();
    // The first subscriber starts the follower, whose read of the head does not see the block's close yet
    // (it was still on its way, as when another instance's device was answered before its close was written).
    const head = positions.head.bind(positions);
    let stale = true;
    positions.head = async (log) => {
      const now = await head(log);
      if (log !== 'trackings' || !stale) return now;
      stale = false;
      return { ...now, settled: block.from - 1 };
    };
    try {
      const [item] = await follow(app, ambulance).waitFor(1);
      assert.equal(item?.id, doc._id.toHexString());
    } finally {
      positions.head = head;
    }
    assert.equal(app.app.streams.follower('TRACKING_UPDATED').watermark, block.from);
    assert.equal(app.app.streams.followerStoreReads, 1, 'read from the store once, by the check after listening');
  });

  it('delivers it once this instance closes the block, however late that is', async () => {
    const app = await freshApp();
    const ambulance = uniqueName('closing');
    const { block, doc, publish } = await storeUnheard(app, ambulance);
    publish();
    const live = follow(app, ambulance);
    const follower = app.app.streams.follower('TRACKING_UPDATED');
    // The follower has started, listened and checked the head once: the block was still open then.
    await waitUntil(() => follower.stats.checks > 0, { message: 'the check after listening' });
    assert.equal(follower.watermark, block.from - 1);
    assert.equal(live.items.length, 0);
    await app.app.models.positions.close('trackings', block);
    const [item] = await live.waitFor(1);
    assert.equal(item?.id, doc._id.toHexString());
  });

  it('a check asked for while another runs follows it (the running one may have read the head too early)', async () => {
    const app = await freshApp();
    const ambulance = uniqueName('closing');
    const positions = app.app.models.positions;
    const { block, doc, publish } = await storeUnheard(app, ambulance);
    publish();
    // The check after listening reads the head while the block is open, and is held there.
    const hold = holdSecondHeadRead(positions, 'after the read');
    try {
      const live = follow(app, ambulance);
      await waitUntil(() => hold.reads() >= 2, { message: 'the check after listening' });
      // Closing the block asks for a check while that one still runs.
      await positions.close('trackings', block);
      hold.release();
      const [item] = await live.waitFor(1);
      assert.equal(item?.id, doc._id.toHexString());
    } finally {
      hold.restore();
    }
  });
});
