import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'graphql-ws';
import { graphqlRequest, type Subscription, subscribe, wsClient } from './helpers/graphql.client.js';
import { ENDPOINTS, postFields, postImages, TINY_JPEG, TINY_PNG, trackingFields } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp, waitForSubscribers } from './helpers/test-app.js';
import { uniqueName, waitUntil } from './helpers/test-env.js';

interface PointEvent {
  id: string;
  ambulanceId: string;
  latitude: number;
  longitude: number;
  speed: number | null;
  heading: number | null;
  state: string;
  recordedAt: string;
  speedingEpisodeId: string | null;
}

interface CrashEvent {
  id: string;
  ambulanceId: string;
  latitude: number;
  longitude: number;
  speed: number | null;
  heading: number | null;
  state: string;
  recordedAt: string;
}

interface SnapshotEvent {
  id: string;
  ambulanceId: string;
  images: Array<{ name: string; url: string }>;
  createdAt: string;
}

const POINT_FIELDS = 'id ambulanceId latitude longitude speed heading state recordedAt speedingEpisodeId';
const CRASH_FIELDS = 'id ambulanceId latitude longitude speed heading state recordedAt';
const SNAPSHOT_FIELDS = 'id ambulanceId images { name url } createdAt';

const TRACKING_SUBSCRIPTION = `subscription Tracking($id: ID) {
  trackingUpdated(ambulanceId: $id) { ${POINT_FIELDS} }
}`;
const CRASH_SUBSCRIPTION = `subscription Crash($id: ID) { crashReported(ambulanceId: $id) { ${CRASH_FIELDS} } }`;
const SNAPSHOT_SUBSCRIPTION = `subscription Snap($id: ID) {
  snapshotUploaded(ambulanceId: $id) { ${SNAPSHOT_FIELDS} }
}`;

const TRACKING_HISTORY = `query($id: ID!) {
  trackingHistory(ambulanceId: $id, first: 100) { edges { node { ${POINT_FIELDS} } } }
}`;
const CRASH_HISTORY = `query($id: ID) { crashes(ambulanceId: $id, first: 100) { edges { node { ${CRASH_FIELDS} } } } }`;
const SNAPSHOT_HISTORY = `query($id: ID!) {
  snapshots(ambulanceId: $id, first: 100) { edges { node { ${SNAPSHOT_FIELDS} } } }
}`;

type Connection<Node> = { edges: Array<{ node: Node }> };

async function history<Node>(app: TestApp, query: string, field: string, id: string): Promise<Node[]> {
  const response = await graphqlRequest<Record<string, Connection<Node>>>(app.graphqlUrl, query, { id });
  assert.equal(response.errors, undefined, JSON.stringify(response.errors));
  const connection = response.data?.[field];
  assert.ok(connection, `no ${field} in ${JSON.stringify(response)}`);
  return connection.edges.map((edge) => edge.node);
}

/** Opens clients and subscriptions and closes all of them, whatever happens in between. */
class Subscribers {
  private readonly clients: Client[] = [];
  private readonly subscriptions: Array<Subscription<unknown>> = [];

  constructor(private readonly app: TestApp) {}

  open<Item>(query: string, variables: Record<string, unknown> = {}): Subscription<Item> {
    const client = wsClient(this.app.wsUrl);
    this.clients.push(client);
    const subscription = subscribe<Item>(client, query, variables);
    this.subscriptions.push(subscription as Subscription<unknown>);
    return subscription;
  }

  async close(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    await closeAll(...this.clients.splice(0).map((client) => () => client.dispose()));
    await waitUntil(() => this.app.app.subscriptions.activeSubscribers === 0, {
      message: 'every subscriber to be gone',
    });
  }
}

/**
 * Posts an event for a throw-away ambulance and waits until a fleet-wide subscriber has it:
 * everything published earlier has then been delivered.
 */
async function fence<Item extends { ambulanceId: string }>(
  fleet: Subscription<Item>,
  post: (ambulanceId: string) => Promise<unknown>,
): Promise<void> {
  const sentinel = uniqueName('fence');
  await post(sentinel);
  // Earlier events may still be arriving: wait for the sentinel itself, not for one more event.
  while (!fleet.items.some((item) => item.ambulanceId === sentinel)) await fleet.waitFor(fleet.items.length + 1);
  assert.equal(fleet.items.at(-1)?.ambulanceId, sentinel);
}

const idsOf = (items: ReadonlyArray<{ id: string }>) => items.map((item) => item.id);

/** Points for A and B, interleaved, one request at a time: each subscriber must see exactly its own. */
async function checkTrackingRouting(app: TestApp): Promise<void> {
  const subscribers = new Subscribers(app);
  try {
    const a = uniqueName('A');
    const b = uniqueName('B');
    const subA = subscribers.open<PointEvent>(TRACKING_SUBSCRIPTION, { id: a });
    const subB = subscribers.open<PointEvent>(TRACKING_SUBSCRIPTION, { id: b });
    const fleet = subscribers.open<PointEvent>(TRACKING_SUBSCRIPTION);
    await waitForSubscribers(app, 3);

    const plan = [
      { id: a, speed: 50 },
      { id: b, speed: 81 },
      { id: a, speed: 95.5 },
      { id: b, speed: 120 },
      { id: a, speed: 130 },
      { id: b, speed: 0 },
    ];
    const posted: Array<{ id: string; latitude: number; longitude: number; speed: number; heading: number }> = [];
    for (const [index, step] of plan.entries()) {
      const fields = trackingFields(step.id, step.speed, { tracking_heading: 10 * index });
      // Devices also send numbers as strings.
      const body = index % 2 === 0 ? fields : { ...fields, tracking_speed: String(step.speed) };
      const response = await postFields(`${app.url}${ENDPOINTS.tracking}`, body);
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body, { success: true });
      posted.push({
        id: step.id,
        latitude: fields.tracking_latitude,
        longitude: fields.tracking_longitude,
        speed: step.speed,
        heading: 10 * index,
      });
    }

    await subA.waitFor(3);
    await subB.waitFor(3);
    await fleet.waitFor(6);
    await fence(fleet, (id) => postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields(id)));

    const storedA = await history<PointEvent>(app, TRACKING_HISTORY, 'trackingHistory', a);
    const storedB = await history<PointEvent>(app, TRACKING_HISTORY, 'trackingHistory', b);
    assert.equal(storedA.length, 3);
    assert.equal(storedB.length, 3);
    // Exactly what was stored, field for field, in the order it was stored.
    assert.deepEqual(subA.items, storedA);
    assert.deepEqual(subB.items, storedB);
    assert.deepEqual(fleet.items.slice(0, 6), [storedA[0], storedB[0], storedA[1], storedB[1], storedA[2], storedB[2]]);
    assert.equal(new Set(idsOf(fleet.items)).size, fleet.items.length, 'no event twice');

    // What the device sent, in km/h, with the speed state of the one rule.
    const expectedStates = ['GREEN', 'ORANGE', 'ORANGE', 'ORANGE', 'RED', 'GREEN'];
    fleet.items.slice(0, 6).forEach((event, index) => {
      const sent = posted[index];
      assert.ok(sent);
      assert.equal(event.ambulanceId, sent.id);
      assert.equal(event.latitude, sent.latitude);
      assert.equal(event.longitude, sent.longitude);
      assert.equal(event.speed, sent.speed);
      assert.equal(event.heading, sent.heading);
      assert.equal(event.state, expectedStates[index]);
      assert.ok(!Number.isNaN(Date.parse(event.recordedAt)), event.recordedAt);
    });
    // Consecutive ORANGE/RED points of one ambulance share a speeding episode; GREEN ones have none.
    assert.equal(subA.items[0]?.speedingEpisodeId, null);
    assert.ok(subA.items[1]?.speedingEpisodeId);
    assert.equal(subA.items[2]?.speedingEpisodeId, subA.items[1]?.speedingEpisodeId);
    assert.equal(subB.items[2]?.speedingEpisodeId, null);
    assert.deepEqual(subA.errors, []);
    assert.deepEqual(subB.errors, []);
    assert.deepEqual(fleet.errors, []);
  } finally {
    await subscribers.close();
  }
}

const crashUrl = (app: TestApp) => `${app.url}${ENDPOINTS.crash}`;

async function checkCrashRouting(app: TestApp): Promise<void> {
  const subscribers = new Subscribers(app);
  try {
    const a = uniqueName('A');
    const b = uniqueName('B');
    const subA = subscribers.open<CrashEvent>(CRASH_SUBSCRIPTION, { id: a });
    const subB = subscribers.open<CrashEvent>(CRASH_SUBSCRIPTION, { id: b });
    const fleet = subscribers.open<CrashEvent>(CRASH_SUBSCRIPTION);
    await waitForSubscribers(app, 3);

    // Crash devices report m/s: 10 m/s is 36 km/h, 25 m/s 90 km/h, 40 m/s 144 km/h.
    const plan = [
      { id: a, speed: 10, kmh: 36, state: 'GREEN' },
      { id: b, speed: 25, kmh: 90, state: 'ORANGE' },
      { id: a, speed: 40, kmh: 144, state: 'RED' },
    ];
    for (const step of plan) {
      const response = await postFields(crashUrl(app), trackingFields(step.id, step.speed), 'form');
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body, { success: true });
    }
    await subA.waitFor(2);
    await subB.waitFor(1);
    await fleet.waitFor(3);
    await fence(fleet, (id) => postFields(crashUrl(app), trackingFields(id, 1)));

    const storedA = await history<CrashEvent>(app, CRASH_HISTORY, 'crashes', a);
    const storedB = await history<CrashEvent>(app, CRASH_HISTORY, 'crashes', b);
    assert.equal(storedA.length, 2);
    assert.equal(storedB.length, 1);
    assert.deepEqual(subA.items, storedA);
    assert.deepEqual(subB.items, storedB);
    assert.deepEqual(fleet.items.slice(0, 3), [storedA[0], storedB[0], storedA[1]]);
    fleet.items.slice(0, 3).forEach((event, index) => {
      assert.equal(event.ambulanceId, plan[index]?.id);
      assert.equal(event.speed, plan[index]?.kmh);
      assert.equal(event.state, plan[index]?.state);
    });
    assert.deepEqual([...subA.errors, ...subB.errors, ...fleet.errors], []);
  } finally {
    await subscribers.close();
  }
}

async function checkSnapshotRouting(app: TestApp): Promise<void> {
  const subscribers = new Subscribers(app);
  try {
    const a = uniqueName('A');
    const b = uniqueName('B');
    const subA = subscribers.open<SnapshotEvent>(SNAPSHOT_SUBSCRIPTION, { id: a });
    const subB = subscribers.open<SnapshotEvent>(SNAPSHOT_SUBSCRIPTION, { id: b });
    const fleet = subscribers.open<SnapshotEvent>(SNAPSHOT_SUBSCRIPTION);
    await waitForSubscribers(app, 3);

    const uploads = [
      { id: a, files: [TINY_PNG, TINY_JPEG] },
      { id: b, files: [TINY_PNG] },
      { id: a, files: [TINY_JPEG] },
    ];
    for (const upload of uploads) {
      const response = await postImages(
        app.url,
        upload.id,
        upload.files.map((data, index) => ({
          field: `image${index}`,
          data,
          type: data === TINY_PNG ? 'image/png' : 'image/jpeg',
          name: data === TINY_PNG ? 'shot.png' : 'shot.jpg',
        })),
      );
      assert.equal(response.status, 200, response.text);
    }
    await subA.waitFor(2);
    await subB.waitFor(1);
    await fleet.waitFor(3);
    await fence(fleet, (id) => postImages(app.url, id, [{ field: 'image', data: TINY_PNG }]));

    const storedA = await history<SnapshotEvent>(app, SNAPSHOT_HISTORY, 'snapshots', a);
    const storedB = await history<SnapshotEvent>(app, SNAPSHOT_HISTORY, 'snapshots', b);
    assert.equal(storedA.length, 2);
    assert.equal(storedB.length, 1);
    assert.deepEqual(subA.items, storedA);
    assert.deepEqual(subB.items, storedB);
    assert.deepEqual(fleet.items.slice(0, 3), [storedA[0], storedB[0], storedA[1]]);
    assert.deepEqual(
      fleet.items.slice(0, 3).map((event) => event.images.map((image) => image.name)),
      [['image0', 'image1'], ['image0'], ['image0']],
    );
    // The URLs in the event serve the uploaded bytes.
    for (const [index, upload] of uploads.entries()) {
      const event = fleet.items[index];
      assert.ok(event);
      for (const [imageIndex, data] of upload.files.entries()) {
        const url: string | undefined = event.images[imageIndex]?.url;
        assert.ok(url?.startsWith('/uploads/'), url);
        const response = await fetch(`${app.url}${url}`);
        assert.equal(response.status, 200, url);
        assert.deepEqual(Buffer.from(await response.arrayBuffer()), Buffer.from(data));
      }
    }
    assert.deepEqual([...subA.errors, ...subB.errors, ...fleet.errors], []);
  } finally {
    await subscribers.close();
  }
}

function errorCodes(errors: unknown[]): unknown[] {
  return errors
    .flatMap((error) => (Array.isArray(error) ? error : [error]))
    .map((error) => (error as { extensions?: { code?: unknown } }).extensions?.code);
}

describe('GraphQL subscriptions over graphql-ws (Redis events)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ env: { CRASH_DUPLICATE_WINDOW_SECONDS: '0' } });
  });
  after(async () => {
    await app?.close();
  });

  it('trackingUpdated per ambulance gets only its points, fleet-wide gets all, as stored', async () => {
    await checkTrackingRouting(app);
  });

  it('crashReported per ambulance and fleet-wide, with speed converted to km/h as stored', async () => {
    await checkCrashRouting(app);
  });

  it('snapshotUploaded per ambulance and fleet-wide, with the stored images', async () => {
    await checkSnapshotRouting(app);
  });

  it('runs one operation for identical subscriptions and another for a different ambulance', async () => {
    const subscribers = new Subscribers(app);
    try {
      const shared = uniqueName('S');
      const other = uniqueName('O');
      assert.equal(app.app.subscriptions.activeOperations, 0);
      const first = subscribers.open<PointEvent>(TRACKING_SUBSCRIPTION, { id: shared });
      const second = subscribers.open<PointEvent>(TRACKING_SUBSCRIPTION, { id: shared });
      await waitForSubscribers(app, 2);
      assert.equal(app.app.subscriptions.activeOperations, 1);
      assert.equal(app.app.subscriptions.activeSubscribers, 2);

      const third = subscribers.open<PointEvent>(TRACKING_SUBSCRIPTION, { id: other });
      await waitForSubscribers(app, 3);
      assert.equal(app.app.subscriptions.activeOperations, 2);
      assert.equal(app.app.subscriptions.activeSubscribers, 3);

      // Both sharers get every event; the other subscriber gets its own only.
      for (const id of [shared, other, shared]) {
        const response = await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields(id));
        assert.equal(response.status, 200, response.text);
      }
      await first.waitFor(2);
      await second.waitFor(2);
      await third.waitFor(1);
      const stored = await history<PointEvent>(app, TRACKING_HISTORY, 'trackingHistory', shared);
      assert.deepEqual(idsOf(first.items), idsOf(stored));
      assert.deepEqual(second.items, first.items);
      assert.deepEqual(
        idsOf(third.items),
        idsOf(await history<PointEvent>(app, TRACKING_HISTORY, 'trackingHistory', other)),
      );

      // One sharer leaving keeps the operation for the other.
      first.dispose();
      await waitUntil(() => app.app.subscriptions.activeSubscribers === 2, { message: 'first subscriber gone' });
      assert.equal(app.app.subscriptions.activeOperations, 2);
      const response = await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields(shared));
      assert.equal(response.status, 200);
      await second.waitFor(3);
      assert.equal(first.items.length, 2);

      second.dispose();
      third.dispose();
      await waitUntil(
        () => app.app.subscriptions.activeOperations === 0 && app.app.subscriptions.activeSubscribers === 0,
        { message: 'shared operations to end' },
      );
    } finally {
      await subscribers.close();
    }
    assert.equal(app.app.subscriptions.activeOperations, 0);
    assert.equal(app.app.subscriptions.activeSubscribers, 0);
  });

  it('refuses an invalid ambulanceId with BAD_USER_INPUT and starts no operation', async () => {
    const subscribers = new Subscribers(app);
    try {
      for (const query of [TRACKING_SUBSCRIPTION, CRASH_SUBSCRIPTION, SNAPSHOT_SUBSCRIPTION]) {
        const subscription = subscribers.open(query, { id: '../x' });
        await Promise.race([
          subscription.completed,
          new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer to ${query}`)), 10_000)),
        ]);
        assert.deepEqual(errorCodes(subscription.errors), ['BAD_USER_INPUT'], JSON.stringify(subscription.errors));
        assert.deepEqual(subscription.items, []);
      }
      assert.equal(app.app.subscriptions.activeOperations, 0);
      assert.equal(app.app.subscriptions.activeSubscribers, 0);
    } finally {
      await subscribers.close();
    }
  });
});

describe('GraphQL subscriptions over graphql-ws (in-process events)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ events: 'local', env: { CRASH_DUPLICATE_WINDOW_SECONDS: '0' } });
  });
  after(async () => {
    await app?.close();
  });

  it('uses the in-process bus', () => {
    assert.equal(app.bus.kind, 'in-process');
  });

  it('trackingUpdated per ambulance and fleet-wide', async () => {
    await checkTrackingRouting(app);
  });

  it('crashReported per ambulance and fleet-wide', async () => {
    await checkCrashRouting(app);
  });

  it('snapshotUploaded per ambulance and fleet-wide', async () => {
    await checkSnapshotRouting(app);
  });
});

describe('crash duplicate window', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ env: { CRASH_DUPLICATE_WINDOW_SECONDS: '60' } });
  });
  after(async () => {
    await app?.close();
  });

  it('publishes a suppressed duplicate crash to nobody', async () => {
    const subscribers = new Subscribers(app);
    try {
      const a = uniqueName('A');
      const subA = subscribers.open<CrashEvent>(CRASH_SUBSCRIPTION, { id: a });
      const fleet = subscribers.open<CrashEvent>(CRASH_SUBSCRIPTION);
      await waitForSubscribers(app, 2);
      // A device repeating its notification sends the same report.
      const crash = trackingFields(a, 20);
      const first = await postFields(crashUrl(app), crash);
      assert.deepEqual(first.body, { success: true });
      const repeat = await postFields(crashUrl(app), crash);
      assert.equal(repeat.status, 200);
      assert.deepEqual(repeat.body, { success: true, duplicate: true });
      await subA.waitFor(1);
      // The fleet connection gets the first crash on its own schedule; the fence counts from after it.
      await fleet.waitFor(1);
      await fence(fleet, (id) => postFields(crashUrl(app), trackingFields(id, 1)));
      const stored = await history<CrashEvent>(app, CRASH_HISTORY, 'crashes', a);
      assert.equal(stored.length, 1);
      assert.deepEqual(subA.items, stored);
      assert.deepEqual(idsOf(fleet.items.slice(0, -1)), idsOf(stored));
    } finally {
      await subscribers.close();
    }
  });
});
