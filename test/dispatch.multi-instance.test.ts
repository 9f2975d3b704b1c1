import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'graphql-ws';
import {
  askOk,
  createCircle,
  EVENT_FIELDS,
  type EventNode,
  eventsOf,
  HOSPITAL,
  north,
  report,
  SET_STATUS,
  settled,
} from './helpers/dispatch.helpers.js';
import { type Subscription, subscribe, wsClient } from './helpers/graphql.client.js';
import { ENDPOINTS, postFields } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp, waitForSubscribers } from './helpers/test-app.js';
import { uniqueName, waitUntil } from './helpers/test-env.js';

const kindsOf = (events: EventNode[]) => events.map((event) => event.kind);
const count = (events: EventNode[], kind: string) => events.filter((event) => event.kind === kind).length;

describe('dispatch events from two instances sharing FerretDB and Redis: one event per change', () => {
  let appA: TestApp;
  let appB: TestApp;
  const clients: Client[] = [];
  const subscriptions: Array<Subscription<EventNode>> = [];

  before(async () => {
    const database = uniqueName('dispatch2');
    const channelPrefix = `${uniqueName('dispatch2')}:`;
    // Dwell 0 (every report inside could complete an arrival), fast connectivity and sweeps on both instances.
    const env = {
      PLACE_DWELL_SECONDS: '0',
      STALE_AFTER_SECONDS: '1',
      OFFLINE_AFTER_SECONDS: '2',
      CONNECTIVITY_SWEEP_SECONDS: '1',
      PROJECTION_INTERVAL_MS: '0',
    };
    appA = await startTestApp({ database, channelPrefix, env });
    appB = await startTestApp({ database, channelPrefix, env });
    await createCircle(appA, 'Shared Hospital', 'HOSPITAL', HOSPITAL);
  });
  after(async () => {
    for (const subscription of subscriptions) subscription.dispose();
    await closeAll(
      ...clients.map((client) => () => client.dispose()),
      () => appA?.close(),
      () => appB?.close(),
    );
  });

  const watch = (app: TestApp, ambulanceId: string) => {
    const client = wsClient(app.wsUrl);
    clients.push(client);
    const subscription = subscribe<EventNode>(
      client,
      `subscription($id: ID) { ambulanceEvent(ambulanceId: $id) { ${EVENT_FIELDS} } }`,
      { id: ambulanceId },
    );
    subscriptions.push(subscription);
    return subscription;
  };

  it('records one arrival, one status change, one crash acknowledgement and each connectivity change once', async () => {
    const unit = uniqueName('shared');
    const onA = watch(appA, unit);
    const onB = watch(appB, unit);
    // What an alert outbox would hear: the recorder's listeners on both instances.
    const heard: string[] = [];
    for (const app of [appA, appB]) {
      app.app.dispatch.recorder.onRecorded((event) => {
        if (event.ambulanceId === unit) heard.push(event.id);
      });
    }
    await waitForSubscribers(appA, 1);
    await waitForSubscribers(appB, 1);

    await report(appA, unit, north(HOSPITAL, 3000));
    await settled(appA, appB);
    // Both dispatchers set the same status at once, one on each instance.
    await Promise.all([
      askOk(appA, SET_STATUS, { id: unit, status: 'TRANSPORTING' }),
      askOk(appB, SET_STATUS, { id: unit, status: 'TRANSPORTING' }),
    ]);
    // Reports inside the hospital reach both instances at once.
    await Promise.all([
      report(appA, unit, north(HOSPITAL, 10)),
      report(appB, unit, north(HOSPITAL, 12)),
      report(appA, unit, north(HOSPITAL, 14)),
      report(appB, unit, north(HOSPITAL, 16)),
    ]);
    await settled(appA, appB);

    const crash = await postFields(`${appB.url}${ENDPOINTS.crash}`, {
      ambulance_id: unit,
      tracking_latitude: HOSPITAL.latitude,
      tracking_longitude: HOSPITAL.longitude,
      tracking_speed: 1,
      tracking_heading: 0,
    });
    assert.equal(crash.status, 200);
    await settled(appA, appB);
    const [reported] = await eventsOf(appA, unit, ['CRASH_REPORTED']);
    assert.ok(reported?.crashId);
    const acknowledge = 'mutation($id: ID!) { acknowledgeCrash(id: $id) { acknowledgedAt } }';
    await Promise.all([
      askOk(appA, acknowledge, { id: reported.crashId }),
      askOk(appB, acknowledge, { id: reported.crashId }),
    ]);

    // Silence: both instances sweep; the unit goes stale, then offline, once each.
    await waitUntil(async () => count(await eventsOf(appA, unit), 'WENT_OFFLINE') === 1, {
      timeoutMs: 20_000,
      message: 'WENT_OFFLINE',
    });
    // OFFLINE on the fleet document too, and left out of the nearest units unless asked for.
    const offline = await askOk<{ ambulance: { connectivity: string; lastReportAt: string } }>(
      appB,
      'query($id: ID!) { ambulance(id: $id) { connectivity lastReportAt } }',
      { id: unit },
    );
    assert.equal(offline.ambulance.connectivity, 'OFFLINE');
    assert.ok(offline.ambulance.lastReportAt);
    const nearest = `query($c: [Connectivity!]) { nearestAmbulances(latitude: ${HOSPITAL.latitude}, longitude: ${HOSPITAL.longitude}, connectivities: $c) { ambulance { id } } }`;
    type Nearest = { nearestAmbulances: Array<{ ambulance: { id: string } }> };
    const idsOf = (data: Nearest) => data.nearestAmbulances.map((nearby) => nearby.ambulance.id);
    assert.ok(!idsOf(await askOk<Nearest>(appA, nearest, {})).includes(unit));
    assert.ok(idsOf(await askOk<Nearest>(appA, nearest, { c: ['OFFLINE'] })).includes(unit));

    await report(appB, unit, north(HOSPITAL, 10));
    await settled(appA, appB);
    await waitUntil(async () => count(await eventsOf(appA, unit), 'CAME_ONLINE') === 1, { message: 'CAME_ONLINE' });

    const events = await eventsOf(appB, unit);
    for (const [kind, expected] of Object.entries({
      PLACE_ENTERED: 1,
      STATUS_CHANGED: 2,
      CRASH_REPORTED: 1,
      CRASH_ACKNOWLEDGED: 1,
      WENT_STALE: 1,
      WENT_OFFLINE: 1,
      CAME_ONLINE: 1,
    })) {
      assert.equal(count(events, kind), expected, `${kind} in ${JSON.stringify(kindsOf(events))}`);
    }
    const changes = events.filter((event) => event.kind === 'STATUS_CHANGED');
    assert.deepEqual(
      changes.map((event) => [event.previousStatus, event.status]),
      [
        ['AVAILABLE', 'TRANSPORTING'],
        ['TRANSPORTING', 'AT_HOSPITAL'],
      ],
    );
    // The listeners of both instances together heard each stored event exactly once.
    assert.deepEqual([...heard].sort(), events.map((event) => event.id).sort());
    // Every subscriber, on either instance, heard each stored event exactly once.
    for (const live of [onA, onB]) {
      await live.waitFor(events.length);
      assert.deepEqual(live.items.map((event) => event.id).sort(), events.map((event) => event.id).sort());
    }
  });
});

describe('dispatch state survives a restart: places entered before it are left after it, without a second arrival', () => {
  it('reads the stored visits and statuses on a new instance', async () => {
    const database = uniqueName('dispatchrestart');
    const env = { PLACE_DWELL_SECONDS: '0', PLACE_EXIT_MARGIN_METERS: '30' };
    const unit = uniqueName('restart');
    let first: TestApp | undefined = await startTestApp({ database, env });
    let second: TestApp | undefined;
    try {
      await createCircle(first, 'Restart Hospital', 'HOSPITAL', HOSPITAL);
      await report(first, unit, north(HOSPITAL, 3000));
      await settled(first);
      await askOk(first, SET_STATUS, { id: unit, status: 'TRANSPORTING' });
      await report(first, unit, north(HOSPITAL, 10));
      await settled(first);
      assert.deepEqual(kindsOf(await eventsOf(first, unit, ['PLACE_ENTERED', 'PLACE_LEFT'])), ['PLACE_ENTERED']);
      await first.close();
      first = undefined;

      second = await startTestApp({ database, env });
      // Still inside (no new arrival), then out beyond the margin: left.
      await report(second, unit, north(HOSPITAL, 50));
      await report(second, unit, north(HOSPITAL, 500));
      await settled(second);
      assert.deepEqual(kindsOf(await eventsOf(second, unit, ['PLACE_ENTERED', 'PLACE_LEFT'])), [
        'PLACE_ENTERED',
        'PLACE_LEFT',
      ]);
      const status = await askOk<{ ambulance: { status: string } }>(
        second,
        'query($id: ID!) { ambulance(id: $id) { status } }',
        { id: unit },
      );
      assert.equal(status.ambulance.status, 'AT_HOSPITAL');
    } finally {
      await closeAll(
        () => first?.close(),
        () => second?.close(),
      );
    }
  });
});

describe('connectivity while the fleet documents are a projection round behind', () => {
  let app: TestApp;

  before(async () => {
    // The first report of a unit is projected at once, the later ones only in rounds (here: not within the test).
    app = await startTestApp({
      env: {
        STALE_AFTER_SECONDS: '1',
        OFFLINE_AFTER_SECONDS: '2',
        CONNECTIVITY_SWEEP_SECONDS: '1',
        PROJECTION_INTERVAL_MS: '600000',
      },
    });
  });
  after(async () => {
    await app?.close();
  });

  it('a unit that keeps reporting is never swept stale, and is found where it last reported', async () => {
    const unit = uniqueName('moving');
    const started = Date.now();
    let metres = 0;
    while (Date.now() - started < 3_500) {
      metres += 100;
      await report(app, unit, north(HOSPITAL, metres));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await settled(app);
    assert.deepEqual(kindsOf(await eventsOf(app, unit, ['WENT_STALE', 'WENT_OFFLINE'])), []);
    const nearest = await askOk<{ nearestAmbulances: Array<{ ambulance: { id: string }; distanceMeters: number }> }>(
      app,
      `query { nearestAmbulances(latitude: ${HOSPITAL.latitude}, longitude: ${HOSPITAL.longitude}) { ambulance { id } distanceMeters } }`,
    );
    const found = nearest.nearestAmbulances.find((nearby) => nearby.ambulance.id === unit);
    assert.ok(found, 'listed as ONLINE');
    assert.ok(
      Math.abs((found?.distanceMeters ?? 0) - metres) < 20,
      `${found?.distanceMeters} m, last report ${metres} m`,
    );
    // Silent now: the sweep still moves it, from its newest report.
    await waitUntil(async () => count(await eventsOf(app, unit), 'WENT_STALE') === 1, { message: 'WENT_STALE' });
  });
});
