import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'graphql-ws';
import { graphqlRequest, type Subscription, subscribe, wsClient } from './helpers/graphql.client.js';
import { ENDPOINTS, postFields, postImages, TINY_PNG, trackingFields } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp, waitForSubscribers } from './helpers/test-app.js';
import { uniqueName, waitUntil } from './helpers/test-env.js';

interface Event {
  id: string;
  ambulanceId: string;
  speed: number | null;
  state: string;
  recordedAt: string;
}

const FIELDS = 'id ambulanceId speed state recordedAt';
const TRACKING_SUBSCRIPTION = `subscription($id: ID) { trackingUpdated(ambulanceId: $id) { ${FIELDS} } }`;
const CRASH_SUBSCRIPTION = `subscription($id: ID) { crashReported(ambulanceId: $id) { ${FIELDS} } }`;
const SNAPSHOT_SUBSCRIPTION =
  'subscription($id: ID) { snapshotUploaded(ambulanceId: $id) { id ambulanceId createdAt } }';
const TRACKING_HISTORY = `query($id: ID!) { trackingHistory(ambulanceId: $id) { edges { node { ${FIELDS} } } } }`;
const CRASH_HISTORY = `query($id: ID) { crashes(ambulanceId: $id) { edges { node { ${FIELDS} } } } }`;

async function history(app: TestApp, query: string, id: string): Promise<Event[]> {
  const response = await graphqlRequest<Record<string, { edges: Array<{ node: Event }> }>>(app.graphqlUrl, query, {
    id,
  });
  assert.equal(response.errors, undefined, JSON.stringify(response.errors));
  const [connection] = Object.values(response.data ?? {});
  assert.ok(connection);
  return connection.edges.map((edge) => edge.node);
}

describe('two app instances sharing a database and Redis channels', () => {
  let appA: TestApp | undefined;
  let appB: TestApp | undefined;
  const clients: Client[] = [];
  const subscriptions: Array<Subscription<unknown>> = [];

  const open = <Item>(app: TestApp, query: string, variables: Record<string, unknown> = {}) => {
    const client = wsClient(app.wsUrl);
    clients.push(client);
    const subscription = subscribe<Item>(client, query, variables);
    subscriptions.push(subscription as Subscription<unknown>);
    return subscription;
  };

  before(async () => {
    const database = uniqueName('multi');
    const channelPrefix = `${uniqueName('multi')}:`;
    appA = await startTestApp({ database, channelPrefix });
    appB = await startTestApp({ database, channelPrefix });
  });

  after(async () => {
    for (const subscription of subscriptions) subscription.dispose();
    await closeAll(
      ...clients.map((client) => () => client.dispose()),
      () => appA?.close(),
      () => appB?.close(),
    );
  });

  it('runs two instances on different ports', () => {
    assert.ok(appA && appB);
    assert.notEqual(appA.url, appB.url);
    assert.equal(appA.database, appB.database);
    assert.equal(appA.channelPrefix, appB.channelPrefix);
    assert.equal(appB.bus.kind, 'redis');
  });

  it('delivers a point posted to A to subscribers on B, per ambulance and fleet-wide; B reads it back', async () => {
    assert.ok(appA && appB);
    const ambulance = uniqueName('amb');
    const otherAmbulance = uniqueName('other');
    const onB = open<Event>(appB, TRACKING_SUBSCRIPTION, { id: ambulance });
    const fleetOnB = open<Event>(appB, TRACKING_SUBSCRIPTION);
    const onA = open<Event>(appA, TRACKING_SUBSCRIPTION, { id: ambulance });
    await waitForSubscribers(appB, 2);
    await waitForSubscribers(appA, 1);

    const response = await postFields(`${appA.url}${ENDPOINTS.tracking}`, trackingFields(ambulance, 100));
    assert.equal(response.status, 200, response.text);
    const [event] = await onB.waitFor(1);
    assert.ok(event);
    assert.equal(event.ambulanceId, ambulance);
    assert.equal(event.speed, 100);
    assert.equal(event.state, 'ORANGE');
    await fleetOnB.waitFor(1);
    assert.deepEqual(fleetOnB.items[0], event);
    await onA.waitFor(1);
    assert.deepEqual(onA.items[0], event, 'both instances deliver the same event');

    // History on B shows the point A stored, with the same id and time.
    assert.deepEqual(await history(appB, TRACKING_HISTORY, ambulance), [event]);

    // And the other way round; B's per-ambulance subscriber sees nothing of another ambulance.
    const back = await postFields(`${appB.url}${ENDPOINTS.tracking}`, trackingFields(otherAmbulance, 10));
    assert.equal(back.status, 200, back.text);
    await fleetOnB.waitFor(2);
    assert.equal(fleetOnB.items[1]?.ambulanceId, otherAmbulance);
    assert.deepEqual(await history(appA, TRACKING_HISTORY, otherAmbulance), [fleetOnB.items[1]]);
    assert.equal(onB.items.length, 1, 'each event exactly once');
    assert.equal(fleetOnB.items.length, 2, 'each event exactly once');
    assert.deepEqual([...onB.errors, ...fleetOnB.errors, ...onA.errors], []);
  });

  it('delivers a crash reported to A to crash subscribers on B', async () => {
    assert.ok(appA && appB);
    const ambulance = uniqueName('crash');
    const before = appB.app.subscriptions.activeSubscribers;
    const onB = open<Event>(appB, CRASH_SUBSCRIPTION, { id: ambulance });
    const fleetOnB = open<Event>(appB, CRASH_SUBSCRIPTION);
    await waitForSubscribers(appB, before + 2);

    const crash = trackingFields(ambulance, 30);
    const response = await postFields(`${appA.url}${ENDPOINTS.crash}`, crash);
    assert.equal(response.status, 200, response.text);
    const [event] = await onB.waitFor(1);
    assert.ok(event);
    assert.equal(event.ambulanceId, ambulance);
    assert.equal(event.speed, 108);
    assert.equal(event.state, 'ORANGE');
    await fleetOnB.waitFor(1);
    assert.deepEqual(fleetOnB.items, [event]);
    assert.deepEqual(await history(appB, CRASH_HISTORY, ambulance), [event]);

    // The duplicate window spans instances: a repeat sent to B is suppressed and published to nobody.
    const repeat = await postFields(`${appB.url}${ENDPOINTS.crash}`, crash);
    assert.deepEqual(repeat.body, { success: true, duplicate: true });
    const fence = uniqueName('fence');
    await postFields(`${appA.url}${ENDPOINTS.crash}`, trackingFields(fence, 1));
    await fleetOnB.waitFor(2);
    assert.equal(fleetOnB.items[1]?.ambulanceId, fence);
    assert.equal(onB.items.length, 1);
  });

  it('delivers a snapshot uploaded to B to a subscriber on A', async () => {
    assert.ok(appA && appB);
    const ambulance = uniqueName('snap');
    const before = appA.app.subscriptions.activeSubscribers;
    const onA = open<{ id: string; ambulanceId: string }>(appA, SNAPSHOT_SUBSCRIPTION, { id: ambulance });
    await waitForSubscribers(appA, before + 1);
    const response = await postImages(appB.url, ambulance, [{ field: 'image', data: TINY_PNG }]);
    assert.equal(response.status, 200, response.text);
    const [event] = await onA.waitFor(1);
    assert.equal(event?.ambulanceId, ambulance);
    const stored = await appA.app.models.collections.imageRecords.findOne({ ambulance_id: ambulance });
    assert.equal(stored?._id.toHexString(), event?.id);
  });

  it('each instance ends its own operations when its subscribers leave', async () => {
    assert.ok(appA && appB);
    for (const subscription of subscriptions) subscription.dispose();
    const [a, b] = [appA, appB];
    await waitUntil(
      () =>
        a.app.subscriptions.activeOperations === 0 &&
        b.app.subscriptions.activeOperations === 0 &&
        a.app.subscriptions.activeSubscribers === 0 &&
        b.app.subscriptions.activeSubscribers === 0,
      { message: 'all operations to end' },
    );
  });
});
