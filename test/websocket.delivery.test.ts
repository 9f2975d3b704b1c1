import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { TrackingEvent } from '../src/events/event.payloads.js';
import { Topics } from '../src/events/topics.js';
import { type Subscription, subscribe, wsClient } from './helpers/graphql.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp, waitForSubscribers } from './helpers/test-app.js';
import { uniqueName, waitUntil } from './helpers/test-env.js';

const QUERY = 'subscription Speed($id: ID) { trackingUpdated(ambulanceId: $id) { id speed } }';

function event(ambulanceId: string, index: number): TrackingEvent {
  return {
    id: index.toString(16).padStart(24, '0'),
    ambulanceId,
    latitude: 1,
    longitude: 2,
    speed: index,
    heading: 0,
    state: 'GREEN',
    recordedAt: new Date(1_700_000_000_000 + index).toISOString(),
    speedingEpisodeId: null,
    deviceTime: null,
  };
}

interface RawMessage {
  readonly id?: string;
  readonly type: string;
  readonly payload?: { data?: { trackingUpdated: { id: string; speed: number } }; errors?: unknown };
}

/** A graphql-transport-ws client on a bare `ws` socket, so the test sees every frame and can stop reading. */
async function rawSubscriber(wsUrl: string, ambulanceId: string, operationId: string) {
  const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
  const messages: RawMessage[] = [];
  let tcpReads = 0;
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as RawMessage));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const tcp = (socket as unknown as { _socket: Socket })._socket;
  tcp.on('data', () => {
    tcpReads += 1;
  });
  socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  await waitUntil(() => messages.some((message) => message.type === 'connection_ack'), { message: 'connection_ack' });
  socket.send(
    JSON.stringify({ id: operationId, type: 'subscribe', payload: { query: QUERY, variables: { id: ambulanceId } } }),
  );
  return {
    messages,
    tcp,
    get tcpReads() {
      return tcpReads;
    },
    close: () => socket.close(),
  };
}

describe('subscription delivery over WebSocket', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ events: 'local', env: { SUBSCRIPTION_QUEUE_LIMIT: '100' } });
  });
  after(() => closeAll(() => app.close()));

  it('writes one shared result to every subscriber of an operation with its own operation id, in order', async () => {
    const ambulanceId = uniqueName('amb');
    const first = await rawSubscriber(app.wsUrl, ambulanceId, 'first-op');
    const second = await rawSubscriber(app.wsUrl, ambulanceId, 'second-op');
    await waitForSubscribers(app, 2);
    assert.equal(app.app.subscriptions.activeOperations, 1, 'one shared execution');
    for (let index = 1; index <= 3; index += 1) {
      await app.bus.publish(Topics.TrackingUpdated, ambulanceId, event(ambulanceId, index));
    }
    for (const [subscriber, id] of [
      [first, 'first-op'],
      [second, 'second-op'],
    ] as const) {
      await waitUntil(() => subscriber.messages.filter((m) => m.type === 'next').length === 3, {
        message: 'three results',
      });
      const nexts = subscriber.messages.filter((message) => message.type === 'next');
      assert.deepEqual(
        nexts.map((message) => [message.id, message.payload?.data?.trackingUpdated.speed]),
        [
          [id, 1],
          [id, 2],
          [id, 3],
        ],
      );
    }
    first.close();
    second.close();
  });

  it('writes the results due to one socket in the same turn together', async () => {
    const ambulanceId = uniqueName('amb');
    const subscriber = await rawSubscriber(app.wsUrl, ambulanceId, 'burst');
    await waitForSubscribers(app, 1);
    const readsBefore = subscriber.tcpReads;
    // Published in one turn, as the events of one stored batch are.
    const published = Array.from({ length: 50 }, (_, index) =>
      app.bus.publish(Topics.TrackingUpdated, ambulanceId, event(ambulanceId, index + 1)),
    );
    await Promise.all(published);
    await waitUntil(() => subscriber.messages.filter((m) => m.type === 'next').length === 50, {
      message: 'fifty results',
    });
    const reads = subscriber.tcpReads - readsBefore;
    assert.ok(reads < 10, `50 results arrived in ${reads} reads; one write per result would need about 50`);
    subscriber.close();
  });

  it('ends only the subscription of a socket that stops reading, with SUBSCRIPTION_OVERFLOW; the others get everything', async () => {
    const ambulanceId = uniqueName('amb');
    const slow = await rawSubscriber(app.wsUrl, ambulanceId, 'slow');
    const client = wsClient(app.wsUrl);
    const fast: Subscription<{ id: string; speed: number }> = subscribe(client, QUERY, { id: ambulanceId });
    await waitForSubscribers(app, 2);
    slow.tcp.pause();
    let published = 0;
    // Until the paused socket's kernel buffers are full and its backlog passes the limit (100 results' worth).
    while (app.app.subscriptions.activeSubscribers === 2) {
      for (let burst = 0; burst < 50; burst += 1) {
        published += 1;
        await app.bus.publish(Topics.TrackingUpdated, ambulanceId, event(ambulanceId, published));
      }
      await new Promise((resolve) => setImmediate(resolve));
      assert.ok(published < 2_000_000, 'the slow subscription was never ended');
    }
    await fast.waitFor(published, 60_000);
    assert.deepEqual(
      fast.items.map((item) => item.speed),
      Array.from({ length: published }, (_, index) => index + 1),
      'the fast subscriber got every result, in order',
    );
    assert.deepEqual(fast.errors, []);
    slow.tcp.resume();
    await waitUntil(() => slow.messages.some((message) => message.type === 'complete'), {
      message: 'the slow one completed',
      timeoutMs: 60_000,
    });
    const overflow = slow.messages.find((message) => message.type === 'next' && message.payload?.errors);
    assert.match(JSON.stringify(overflow?.payload?.errors), /SUBSCRIPTION_OVERFLOW/);
    const delivered = slow.messages.filter((message) => message.payload?.data).length;
    assert.ok(delivered < published, 'the slow subscriber was cut off before the end');
    fast.dispose();
    await client.dispose();
    slow.close();
  });
});

/**
 * A stored batch's events are published together, in one turn of the event loop: a batch many times
 * SUBSCRIPTION_QUEUE_LIMIT (a store that stalled for a moment under a large fleet) must reach subscribers that
 * read, not end them with SUBSCRIPTION_OVERFLOW as if they had fallen behind.
 */
describe('subscription delivery of a stored batch larger than the queue limit', () => {
  let app: TestApp;
  const limit = 20;

  before(async () => {
    app = await startTestApp({ events: 'local', env: { SUBSCRIPTION_QUEUE_LIMIT: String(limit) } });
  });
  after(() => closeAll(() => app.close()));

  it('reaches fleet-wide and per-ambulance subscribers whole, in order, without an overflow', async () => {
    const ambulanceId = uniqueName('burst');
    const client = wsClient(app.wsUrl);
    const fleet: Subscription<{ id: string; speed: number }> = subscribe(
      client,
      'subscription { trackingUpdated { id speed ambulanceId } }',
    );
    const one: Subscription<{ id: string; speed: number }> = subscribe(client, QUERY, { id: ambulanceId });
    await waitForSubscribers(app, 2);
    const count = limit * 3;
    // Queued in one turn, so the writer stores (and publishes) them as one batch.
    const stored = Array.from({ length: count }, (_, index) =>
      app.app.trackingWriter.write({ ambulanceId, latitude: 45.5, longitude: -73.6, speed: index + 1, heading: 0 }),
    );
    const outcomes = await Promise.all(stored);
    assert.ok(outcomes.every((outcome) => !outcome.duplicate));
    for (const subscription of [fleet, one]) {
      await subscription.waitFor(count);
      assert.deepEqual(subscription.errors, []);
      assert.deepEqual(
        subscription.items.map((item) => item.speed),
        Array.from({ length: count }, (_, index) => index + 1),
      );
    }
    assert.equal(app.app.subscriptions.activeSubscribers, 2, 'nobody was cut off');
    fleet.dispose();
    one.dispose();
    await client.dispose();
  });
});

describe('subscription delivery over WebSocket while the server is busy', () => {
  let app: TestApp;

  before(async () => {
    // Every rate counts as busy here, and a held message waits up to the longest delay allowed.
    app = await startTestApp({
      events: 'local',
      env: { WS_BATCH_ABOVE_MESSAGES_PER_SECOND: '1', WS_BATCH_MAX_DELAY_MS: '100' },
    });
  });
  after(() => closeAll(() => app.close()));

  it('writes a socket written to recently in batches, a quiet one at once, and loses or reorders nothing', async () => {
    const busyUnit = uniqueName('amb');
    const quietUnit = uniqueName('amb');
    const busy = await rawSubscriber(app.wsUrl, busyUnit, 'busy');
    const quiet = await rawSubscriber(app.wsUrl, quietUnit, 'quiet');
    await waitForSubscribers(app, 2);
    // Nothing written to either socket for longer than the delay: both count as quiet now.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const nexts = (subscriber: typeof busy) => subscriber.messages.filter((m) => m.type === 'next');
    const readsBefore = busy.tcpReads;
    // Each event in a turn of its own, as points posted one by one arrive.
    for (let index = 1; index <= 20; index += 1) {
      await app.bus.publish(Topics.TrackingUpdated, busyUnit, event(busyUnit, index));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await app.bus.publish(Topics.TrackingUpdated, quietUnit, event(quietUnit, 1));
    await waitUntil(() => nexts(quiet).length === 1, { message: 'the quiet socket’s result' });
    assert.ok(nexts(busy).length < 20, 'the quiet socket was written before the busy one’s held results');
    await waitUntil(() => nexts(busy).length === 20, { message: 'twenty results' });
    assert.deepEqual(
      nexts(busy).map((message) => message.payload?.data?.trackingUpdated.speed),
      Array.from({ length: 20 }, (_, index) => index + 1),
    );
    const reads = busy.tcpReads - readsBefore;
    assert.ok(reads < 10, `20 results in separate turns arrived in ${reads} reads; unbatched that is about 20`);
    busy.close();
    quiet.close();
  });
});
