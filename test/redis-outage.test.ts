import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { graphqlRequest, type Subscription, subscribe, wsClient } from './helpers/graphql.client.js';
import { ENDPOINTS, postFields, trackingFields } from './helpers/http.client.js';
import { closeAll, type OwnRedis, startOwnRedis } from './helpers/process.helpers.js';
import { startTestApp, type TestApp, waitForSubscribers } from './helpers/test-app.js';
import { uniqueName, waitUntil } from './helpers/test-env.js';

interface PointEvent {
  id: string;
  ambulanceId: string;
  speed: number;
  recordedAt: string;
}

const FIELDS = 'id ambulanceId speed recordedAt';
const TRACKING_SUBSCRIPTION = `subscription($id: ID) { trackingUpdated(ambulanceId: $id) { ${FIELDS} } }`;
const TRACKING_HISTORY = `query($id: ID!) {
  trackingHistory(ambulanceId: $id, first: 500) { edges { node { ${FIELDS} } } }
}`;

const OUTAGE_POINTS = 12;

async function storedPoints(app: TestApp, ambulanceId: string): Promise<PointEvent[]> {
  const response = await graphqlRequest<{ trackingHistory: { edges: Array<{ node: PointEvent }> } }>(
    app.graphqlUrl,
    TRACKING_HISTORY,
    { id: ambulanceId },
  );
  assert.equal(response.errors, undefined, JSON.stringify(response.errors));
  return response.data?.trackingHistory.edges.map((edge) => edge.node) ?? [];
}

function sortedIds(items: ReadonlyArray<{ id: string }>): string[] {
  return items.map((item) => item.id).sort();
}

describe('Redis outage while points keep arriving', () => {
  let redis: OwnRedis | undefined;
  let app: TestApp | undefined;
  let client: Client | undefined;
  const subscriptions: Array<Subscription<PointEvent>> = [];

  before(async () => {
    redis = await startOwnRedis();
    app = await startTestApp({ events: { redisUrl: redis.url } });
    client = wsClient(app.wsUrl);
  });

  after(async () => {
    for (const subscription of subscriptions) subscription.dispose();
    await closeAll(
      () => client?.dispose(),
      () => app?.close(),
      () => redis?.stop('SIGKILL'),
    );
  });

  it('stores every point, answers 200 throughout, and delivers every event once Redis is back', async () => {
    assert.ok(redis && app && client);
    const running = app;
    assert.notEqual(redis.port, 6379, 'never the shared Redis');
    const ambulance = uniqueName('out');
    const onAmbulance = subscribe<PointEvent>(client, TRACKING_SUBSCRIPTION, { id: ambulance });
    const fleet = subscribe<PointEvent>(client, TRACKING_SUBSCRIPTION);
    subscriptions.push(onAmbulance, fleet);
    await waitForSubscribers(running, 2);

    const post = (speed: number) => postFields(`${running.url}${ENDPOINTS.tracking}`, trackingFields(ambulance, speed));

    // Before the outage: delivered live, and forwarded to the other instances.
    const forwardedBefore = running.app.publisher.published;
    assert.equal((await post(1)).status, 200);
    await onAmbulance.waitFor(1);
    await fleet.waitFor(1);
    await waitUntil(() => running.app.publisher.published === forwardedBefore + 1, { message: 'forwarded' });

    // Mid-ingest: Redis dies. Wait until the app has noticed, so no publish is in flight while it dies.
    await redis.stop('SIGKILL');
    await waitUntil(() => !running.bus.isReady(), { message: 'the app to notice Redis is gone' });

    for (let index = 0; index < OUTAGE_POINTS; index += 1) {
      const response = await post(10 + index);
      assert.equal(response.status, 200, `point ${index} during the outage: ${response.text}`);
      assert.deepEqual(response.body, { success: true });
    }
    const stored = await storedPoints(running, ambulance);
    assert.equal(stored.length, 1 + OUTAGE_POINTS, 'every point is stored while Redis is down');
    assert.deepEqual(
      stored.map((point) => point.speed),
      [1, ...Array.from({ length: OUTAGE_POINTS }, (_, index) => 10 + index)],
    );
    // The events wait in the outbox for the other instances; this instance's subscribers have them already.
    await waitUntil(() => running.app.publisher.pending === OUTAGE_POINTS, {
      message: `${OUTAGE_POINTS} events in the outbox (have ${running.app.publisher.pending})`,
    });
    assert.ok(running.app.publisher.failedAttempts > 0);
    assert.equal(running.app.publisher.dropped, 0);
    await onAmbulance.waitFor(1 + OUTAGE_POINTS);
    await fleet.waitFor(1 + OUTAGE_POINTS);

    // Redis comes back on the same port; the subscriber's connection to the app never closed.
    await redis.start();
    await waitUntil(() => running.app.publisher.published === forwardedBefore + 1 + OUTAGE_POINTS, {
      message: 'every event forwarded once Redis is back',
    });
    assert.equal(running.app.publisher.pending, 0);

    assert.deepEqual(sortedIds(onAmbulance.items), sortedIds(stored), 'every stored point arrived, none lost');
    assert.deepEqual(sortedIds(fleet.items), sortedIds(stored), 'every stored point arrived fleet-wide, none lost');
    // The outbox keeps order.
    assert.deepEqual(
      onAmbulance.items.map((item) => item.id),
      stored.map((item) => item.id),
    );
    assert.deepEqual(onAmbulance.items, stored);
    assert.deepEqual([...onAmbulance.errors, ...fleet.errors], []);
    assert.equal(running.app.publisher.dropped, 0);

    // Live again: a new point arrives right away, through the same subscriptions.
    assert.equal((await post(70)).status, 200);
    await onAmbulance.waitFor(2 + OUTAGE_POINTS);
    await fleet.waitFor(2 + OUTAGE_POINTS);
    assert.equal(onAmbulance.items.at(-1)?.speed, 70);
    assert.equal(onAmbulance.items.length, 2 + OUTAGE_POINTS, 'nothing arrived twice');
    assert.equal(fleet.items.length, 2 + OUTAGE_POINTS, 'nothing arrived twice fleet-wide');
    assert.equal(running.app.subscriptions.activeSubscribers, 2);
  });

  it('recovers from a second outage (graceful shutdown) as well', async () => {
    assert.ok(redis && app && client);
    const running = app;
    const ambulance = uniqueName('again');
    const onAmbulance = subscribe<PointEvent>(client, TRACKING_SUBSCRIPTION, { id: ambulance });
    subscriptions.push(onAmbulance);
    await waitForSubscribers(running, 3);

    await redis.stop('SIGTERM');
    await waitUntil(() => !running.bus.isReady(), { message: 'the app to notice Redis is gone' });
    for (let index = 0; index < 5; index += 1) {
      const response = await postFields(`${running.url}${ENDPOINTS.tracking}`, trackingFields(ambulance, index));
      assert.equal(response.status, 200, response.text);
    }
    await redis.start();
    await onAmbulance.waitFor(5, 20_000);
    await waitUntil(() => running.app.publisher.pending === 0, { message: 'the outbox to empty' });
    assert.deepEqual(onAmbulance.items, await storedPoints(running, ambulance));
  });

  it("a crash subscription made meanwhile gets this instance's crashes from the bus, not the store", async () => {
    assert.ok(redis && app && client);
    const running = app;
    await redis.stop('SIGKILL');
    await waitUntil(() => !running.bus.isReady(), { message: 'the app to notice Redis is gone' });
    // Nothing listened to crashes before: this subscription is the first on their channel.
    const crashes = subscribe<PointEvent>(client, 'subscription { crashReported { id ambulanceId } }', {});
    subscriptions.push(crashes);
    await waitForSubscribers(running, 4);
    for (const ambulance of [uniqueName('away'), uniqueName('away')]) {
      const response = await postFields(`${running.url}${ENDPOINTS.crash}`, trackingFields(ambulance, 20));
      assert.equal(response.status, 200, response.text);
    }
    await crashes.waitFor(2);
    assert.equal(running.app.streams.followerStoreReads, 0, 'the crashes came from this instance, not the store');
  });
});

describe('Redis slow to answer while the app shuts down', () => {
  let redis: OwnRedis | undefined;
  let app: TestApp | undefined;
  let admin: Redis | undefined;
  let client: Client | undefined;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    redis = await startOwnRedis();
    admin = new Redis(redis.url, { lazyConnect: true });
    await admin.connect();
    app = await startTestApp({ events: { redisUrl: redis.url } });
  });

  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await closeAll(
      () => client?.dispose(),
      () => app?.close(),
      () => admin?.disconnect(),
      () => redis?.stop('SIGKILL'),
    );
  });

  it('leaves no unhandled rejection when subscribers leave just before the bus closes', async () => {
    assert.ok(redis && app && admin);
    const running = app;
    client = wsClient(running.wsUrl);
    const subscriptions = [
      subscribe<PointEvent>(client, TRACKING_SUBSCRIPTION, { id: uniqueName('bye') }),
      subscribe<PointEvent>(client, TRACKING_SUBSCRIPTION),
    ];
    await waitForSubscribers(running, 2);
    // Redis holds every reply for a while, so the UNSUBSCRIBE commands are still unanswered when the bus closes.
    await admin.call('CLIENT', 'PAUSE', '1000', 'ALL');
    for (const subscription of subscriptions) subscription.dispose();
    await client.dispose();
    client = undefined;
    await waitUntil(() => running.app.subscriptions.activeSubscribers === 0, { message: 'subscribers to leave' });
    await running.close();
    app = undefined;
    // Unanswered commands are rejected once the connection has closed; give that a moment to surface.
    await waitUntil(() => unhandled.length > 0, { timeoutMs: 1500 }).catch(() => {});
    assert.deepEqual(unhandled.map(String), []);
  });
});

describe('a shutdown while Redis is away', () => {
  it('says how many events it could not publish, instead of exiting as if all went out', async () => {
    const redis = await startOwnRedis();
    const lines: string[] = [];
    const app = await startTestApp({
      events: { redisUrl: redis.url },
      env: { LOG_LEVEL: 'error', SHUTDOWN_GRACE_SECONDS: '2' },
      logTo: (line) => void lines.push(line),
    });
    try {
      await redis.stop('SIGKILL');
      const ambulance = uniqueName('gone');
      for (let speed = 1; speed <= 3; speed += 1) {
        const answer = await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields(ambulance, speed));
        assert.equal(answer.status, 200, 'stored while Redis is away');
      }
      await waitUntil(() => app.app.publisher.pending >= 3, { message: 'three events waiting for Redis' });
    } finally {
      await app.close();
    }
    const reports = lines
      .map((line) => JSON.parse(line) as { msg: string; pending?: number })
      .filter((line) => line.msg.startsWith('shutdown: events not published'));
    assert.equal(reports.length, 1, lines.join('\n'));
    assert.ok((reports[0]?.pending ?? 0) >= 3);
  });
});
