import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'graphql-ws';
import { Types } from 'mongoose';
import { graphqlRequest, type Subscription, subscribe, wsClient } from './helpers/graphql.client.js';
import { ENDPOINTS, postFields } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp, waitForSubscribers } from './helpers/test-app.js';
import { uniqueName } from './helpers/test-env.js';

/**
 * Finding 3 of the security review: without device keys anyone can post for any ambulance, and duplicate
 * suppression let a forged report hide the genuine one. A forged report may add noise, never hide a report.
 */

interface Node {
  id: string;
  latitude: number;
  longitude: number;
  speed: number | null;
  deviceTime?: string | null;
  conflict: boolean;
}

const POINT_FIELDS = 'id latitude longitude speed deviceTime conflict';
const CRASH_FIELDS = 'id latitude longitude speed conflict';
const TRACKING_HISTORY = `query($id: ID!) { trackingHistory(ambulanceId: $id) { edges { node { ${POINT_FIELDS} } } } }`;
const CRASH_HISTORY = `query($id: ID) { crashes(ambulanceId: $id) { edges { node { ${CRASH_FIELDS} } } } }`;
const TRACKING_SUBSCRIPTION = `subscription($id: ID) { trackingUpdated(ambulanceId: $id) { ${POINT_FIELDS} } }`;
const CRASH_SUBSCRIPTION = `subscription($id: ID) { crashReported(ambulanceId: $id) { ${CRASH_FIELDS} } }`;

const SUCCESS = { success: true };
const DUPLICATE = { success: true, duplicate: true };
/** Where the ambulance really is (Bangkok), and where the forger says it is. */
const GENUINE = { tracking_latitude: 13.7563, tracking_longitude: 100.5018, tracking_speed: 12, tracking_heading: 90 };
const FORGED = { tracking_latitude: 0, tracking_longitude: 0, tracking_speed: 0, tracking_heading: 0 };

async function history(app: TestApp, query: string, id: string): Promise<Node[]> {
  const response = await graphqlRequest<Record<string, { edges: Array<{ node: Node }> }>>(app.graphqlUrl, query, {
    id,
  });
  assert.equal(response.errors, undefined, JSON.stringify(response.errors));
  return Object.values(response.data ?? {})[0]?.edges.map((edge) => edge.node) ?? [];
}

const at = (node: Node | undefined) => [node?.latitude, node?.longitude];

describe('a forged report can add noise but never hide a genuine one', () => {
  let app: TestApp;
  let second: TestApp;
  const clients: Client[] = [];
  const subscriptions: Array<Subscription<unknown>> = [];

  before(async () => {
    // The default duplicate window (60 s) and device clock skew, and Redis events as deployed.
    app = await startTestApp();
    second = await startTestApp({ database: app.database, channelPrefix: app.channelPrefix });
  });
  after(async () => {
    for (const subscription of subscriptions) subscription.dispose();
    await closeAll(...clients.map((client) => () => client.dispose()));
    await app.close();
    await second.close();
  });

  const live = async (query: string, id: string): Promise<Subscription<Node>> => {
    const client = wsClient(app.wsUrl);
    clients.push(client);
    const subscription = subscribe<Node>(client, query, { id });
    subscriptions.push(subscription as Subscription<unknown>);
    await waitForSubscribers(app, subscriptions.length);
    return subscription;
  };
  const post = (target: TestApp, endpoint: keyof typeof ENDPOINTS, fields: Record<string, unknown>) =>
    postFields(`${target.url}${ENDPOINTS[endpoint]}`, fields);

  it('a fake crash at (0, 0) does not hide the genuine crash posted after it: both stored, announced and marked', async () => {
    const id = uniqueName('crash336');
    const subscription = await live(CRASH_SUBSCRIPTION, id);
    assert.deepEqual((await post(app, 'crash', { ambulance_id: id, ...FORGED })).body, SUCCESS);
    assert.deepEqual((await post(app, 'crash', { ambulance_id: id, ...GENUINE })).body, SUCCESS);

    const [fake, genuine] = await subscription.waitFor(2);
    assert.deepEqual(at(fake), [0, 0]);
    assert.deepEqual(at(genuine), [GENUINE.tracking_latitude, GENUINE.tracking_longitude]);
    assert.equal(genuine?.conflict, true, 'the crash announced second contradicts the first');

    const stored = await history(app, CRASH_HISTORY, id);
    assert.deepEqual(stored.map(at), [at(fake), at(genuine)]);
    assert.deepEqual(
      stored.map((crash) => crash.conflict),
      [true, true],
      'dispatchers see both crashes, both marked',
    );
  });

  it('suppresses only the same crash notified again; a different one nearby is kept, one far off marked', async () => {
    const id = uniqueName('crashRepeat');
    const subscription = await live(CRASH_SUBSCRIPTION, id);
    const crash = { ambulance_id: id, ...GENUINE };
    assert.deepEqual((await post(app, 'crash', crash)).body, SUCCESS);
    assert.deepEqual((await post(app, 'crash', crash)).body, DUPLICATE);
    assert.deepEqual((await post(second, 'crash', crash)).body, DUPLICATE);
    assert.equal((await history(app, CRASH_HISTORY, id)).length, 1, 'a device retry is stored once');
    // 0.0004° of latitude is about 44 m: another notification close by (a sensor firing twice, or a forger
    // posting where the ambulance is) is stored and announced, not taken for a repeat, and contradicts nothing.
    const nearby = { ...crash, tracking_latitude: GENUINE.tracking_latitude + 0.0004, tracking_speed: 9 };
    assert.deepEqual((await post(app, 'crash', nearby)).body, SUCCESS);
    // 0.0006° is about 67 m from the first (22 m from the second): it contradicts the first only.
    const farther = { ...crash, tracking_latitude: GENUINE.tracking_latitude + 0.0006 };
    assert.deepEqual((await post(app, 'crash', farther)).body, SUCCESS);
    const announced = await subscription.waitFor(3);
    assert.equal(subscription.items.length, 3, 'the repeats are announced to nobody');
    assert.deepEqual(
      announced.map((item) => item?.conflict),
      [false, false, true],
    );
    assert.deepEqual(
      (await history(app, CRASH_HISTORY, id)).map((node) => node.conflict),
      [true, false, true],
    );
  });

  it('a forged crash where the ambulance is does not hide its genuine crash', async () => {
    const id = uniqueName('crashNearForgery');
    const subscription = await live(CRASH_SUBSCRIPTION, id);
    const forged = { ambulance_id: id, ...GENUINE, tracking_speed: 1, tracking_heading: 0 };
    assert.deepEqual((await post(app, 'crash', forged)).body, SUCCESS);
    const genuine = { ambulance_id: id, ...GENUINE, tracking_latitude: GENUINE.tracking_latitude + 0.0001 };
    assert.deepEqual((await post(second, 'crash', genuine)).body, SUCCESS);
    await subscription.waitFor(2);
    assert.equal((await history(app, CRASH_HISTORY, id)).length, 2);
  });

  it('a fake point with a device time ahead does not hide the genuine reading at that time', async () => {
    const id = uniqueName('point336');
    const subscription = await live(TRACKING_SUBSCRIPTION, id);
    // Within the allowed clock skew: the genuine reading's own time, which the forger sent first.
    const deviceTime = new Date(Date.now() + 20_000).toISOString();
    const fake = { ambulance_id: id, ...FORGED, tracking_timestamp: deviceTime };
    const genuine = { ambulance_id: id, ...GENUINE, tracking_timestamp: deviceTime };
    assert.deepEqual((await post(app, 'tracking', fake)).body, SUCCESS);
    assert.deepEqual((await post(app, 'tracking', genuine)).body, SUCCESS);

    const [first, second_] = await subscription.waitFor(2);
    assert.deepEqual(at(first), [0, 0]);
    assert.deepEqual(at(second_), [GENUINE.tracking_latitude, GENUINE.tracking_longitude]);
    assert.equal(second_?.conflict, true);
    assert.equal(second_?.deviceTime, deviceTime);

    // Retries of either report are duplicates; nothing more is stored or announced.
    assert.deepEqual((await post(app, 'tracking', genuine)).body, DUPLICATE);
    assert.deepEqual((await post(second, 'tracking', fake)).body, DUPLICATE);
    assert.deepEqual((await post(second, 'tracking', genuine)).body, DUPLICATE);

    const stored = await history(app, TRACKING_HISTORY, id);
    assert.deepEqual(stored.map(at), [at(first), at(second_)]);
    assert.deepEqual(
      stored.map((point) => [point.deviceTime, point.conflict]),
      [
        [deviceTime, true],
        [deviceTime, true],
      ],
    );
    assert.equal(subscription.items.length, 2);
  });

  it('a point differing only in speed is another report too, and a third one is kept as well', async () => {
    const id = uniqueName('speed');
    const deviceTime = new Date(Date.now() - 60_000).toISOString();
    const genuine = { ambulance_id: id, ...GENUINE, tracking_timestamp: deviceTime };
    assert.deepEqual((await post(app, 'tracking', genuine)).body, SUCCESS);
    assert.deepEqual((await post(app, 'tracking', { ...genuine, tracking_speed: 130 })).body, SUCCESS);
    assert.deepEqual((await post(app, 'tracking', { ...genuine, tracking_heading: 270 })).body, SUCCESS);
    assert.deepEqual((await post(app, 'tracking', { ...genuine, tracking_speed: 130 })).body, DUPLICATE);
    const stored = await history(app, TRACKING_HISTORY, id);
    assert.deepEqual(
      stored.map((point) => [point.speed, point.conflict]),
      [
        [12, true],
        [130, true],
        [12, true],
      ],
    );
  });

  it('contradicting reports sent to two instances at once are both kept and marked; retries stored once', async () => {
    const id = uniqueName('race');
    const deviceTime = new Date(Date.now() - 5_000).toISOString();
    const fake = { ambulance_id: id, ...FORGED, tracking_timestamp: deviceTime };
    const genuine = { ambulance_id: id, ...GENUINE, tracking_timestamp: deviceTime };
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        post(index % 2 === 0 ? app : second, 'tracking', index % 4 < 2 ? fake : genuine),
      ),
    );
    assert.ok(answers.every((answer) => answer.status === 200));
    assert.equal(answers.filter((answer) => (answer.body as { duplicate?: boolean }).duplicate !== true).length, 2);
    const stored = await history(app, TRACKING_HISTORY, id);
    assert.deepEqual(
      stored.map(at).sort(),
      [
        at({ latitude: 0, longitude: 0 } as Node),
        at({
          latitude: GENUINE.tracking_latitude,
          longitude: GENUINE.tracking_longitude,
        } as Node),
      ].sort(),
    );
    assert.deepEqual(
      stored.map((point) => point.conflict),
      [true, true],
    );
  });

  it('sets aside a device time more than 30 s ahead of the server clock: the point is kept with server time only', async () => {
    const id = uniqueName('ahead');
    const deviceTime = new Date(Date.now() + 60_000).toISOString();
    const fake = { ambulance_id: id, ...FORGED, tracking_timestamp: deviceTime };
    const genuine = { ambulance_id: id, ...GENUINE, tracking_timestamp: deviceTime };
    assert.deepEqual((await post(app, 'tracking', fake)).body, SUCCESS);
    assert.deepEqual((await post(app, 'tracking', genuine)).body, SUCCESS);
    const stored = await history(app, TRACKING_HISTORY, id);
    assert.deepEqual(
      stored.map((point) => [at(point), point.deviceTime, point.conflict]),
      [
        [[0, 0], null, false],
        [[GENUINE.tracking_latitude, GENUINE.tracking_longitude], null, false],
      ],
    );
  });

  it('reads legacy documents (no conflict field) and ordinary reports as conflict: false', async () => {
    const legacyAmbulance = new Types.ObjectId();
    const id = legacyAmbulance.toHexString();
    const { trackings, crashes } = app.app.models.collections;
    const common = { ambulance_id: legacyAmbulance, location: { lat: 13.7, lon: 100.5 }, count_datetime: new Date() };
    await trackings.insertOne({ _id: new Types.ObjectId(), ...common, speed: 40, heading: '90', state: 'GREEN' });
    await crashes.insertOne({ _id: new Types.ObjectId(), ...common, speed: 20, heading: '90', state: 'GREEN' });
    assert.deepEqual(
      (await history(app, TRACKING_HISTORY, id)).map((point) => point.conflict),
      [false],
    );
    assert.deepEqual(
      (await history(app, CRASH_HISTORY, id)).map((crash) => crash.conflict),
      [false],
    );
  });
});
