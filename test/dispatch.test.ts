import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'graphql-ws';
import {
  ask,
  askOk,
  CREATE_PLACE,
  createCircle,
  EVENT_FIELDS,
  type EventNode,
  eventsOf,
  HOSPITAL,
  north,
  report,
  SET_STATUS,
  STATION,
  settled,
  sleep,
} from './helpers/dispatch.helpers.js';
import { subscribe, wsClient } from './helpers/graphql.client.js';
import { ENDPOINTS, postFields } from './helpers/http.client.js';
import { startTestApp, type TestApp, waitForSubscribers } from './helpers/test-app.js';
import { uniqueName } from './helpers/test-env.js';

const DWELL_MS = 1000;
const kindsOf = (events: EventNode[]) => events.map((event) => event.kind);

describe('dispatch awareness on one instance (FerretDB, Redis, HTTP, WebSocket)', () => {
  let app: TestApp;
  let hospitalId = '';
  const clients: Client[] = [];

  before(async () => {
    app = await startTestApp({ env: { PLACE_DWELL_SECONDS: '1', PLACE_EXIT_MARGIN_METERS: '30' } });
    hospitalId = await createCircle(app, 'City Hospital', 'HOSPITAL', HOSPITAL);
    await createCircle(app, 'Station 1', 'STATION', STATION);
  });
  after(async () => {
    for (const client of clients) await client.dispose();
    await app.close();
  });

  it('stores places as circles and polygons (objects, not nested arrays), updates and deletes them', async () => {
    const polygon = [
      { latitude: 14, longitude: 101 },
      { latitude: 14, longitude: 101.01 },
      { latitude: 14.01, longitude: 101.01 },
    ];
    const created = await askOk<{ createPlace: Record<string, unknown> & { id: string } }>(app, CREATE_PLACE, {
      input: { name: ' Field Base ', kind: 'BASE', polygon },
    });
    assert.equal(created.createPlace.name, 'Field Base');
    assert.equal(created.createPlace.radiusMeters, null);
    assert.deepEqual(created.createPlace.polygon, polygon);
    const stored = await app.app.models.collections.places.findOne({ name: 'Field Base' });
    assert.deepEqual(stored?.polygon, [
      { lat: 14, lon: 101 },
      { lat: 14, lon: 101.01 },
      { lat: 14.01, lon: 101.01 },
    ]);
    const updated = await askOk<{ updatePlace: { name: string; kind: string; radiusMeters: number } }>(
      app,
      'mutation($id: ID!, $input: PlaceInput!) { updatePlace(id: $id, input: $input) { name kind radiusMeters } }',
      {
        id: created.createPlace.id,
        input: { name: 'Field Base 2', kind: 'OTHER', latitude: 14, longitude: 101, radiusMeters: 50 },
      },
    );
    assert.deepEqual(updated.updatePlace, { name: 'Field Base 2', kind: 'OTHER', radiusMeters: 50 });
    const listed = await askOk<{ places: Array<{ name: string }> }>(app, '{ places { name } }');
    assert.ok(listed.places.some((place) => place.name === 'Field Base 2'));
    const deleted = await askOk<{ deletePlace: boolean }>(app, 'mutation($id: ID!) { deletePlace(id: $id) }', {
      id: created.createPlace.id,
    });
    assert.equal(deleted.deletePlace, true);
    const again = await askOk<{ deletePlace: boolean }>(app, 'mutation($id: ID!) { deletePlace(id: $id) }', {
      id: created.createPlace.id,
    });
    assert.equal(again.deletePlace, false);
  });

  it('refuses unusable places with BAD_USER_INPUT naming the field, and unknown ids with NOT_FOUND', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'x', kind: 'HOSPITAL', latitude: 1, longitude: 1 }, 'radiusMeters'],
      [{ name: 'x', kind: 'HOSPITAL', latitude: 95, longitude: 1, radiusMeters: 10 }, 'latitude'],
      [{ name: 'x', kind: 'HOSPITAL', polygon: [{ latitude: 1, longitude: 1 }] }, 'polygon'],
      [{ name: '  ', kind: 'HOSPITAL', latitude: 1, longitude: 1, radiusMeters: 10 }, 'name'],
    ];
    for (const [input, field] of cases) {
      const response = await ask(app, CREATE_PLACE, { input });
      assert.equal(response.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(response));
      assert.equal(response.errors?.[0]?.extensions?.argumentName, field);
    }
    const missing = await ask(
      app,
      'mutation($input: PlaceInput!) { updatePlace(id: "0123456789abcdef01234567", input: $input) { id } }',
      {
        input: { name: 'x', kind: 'HOSPITAL', latitude: 1, longitude: 1, radiusMeters: 10 },
      },
    );
    assert.equal(missing.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });

  it('counts an arrival only after the dwell, does not flap on border jitter, and leaves beyond the margin', async () => {
    const unit = uniqueName('arrive');
    await report(app, unit, north(HOSPITAL, 500));
    await report(app, unit, north(HOSPITAL, 50));
    await settled(app);
    await report(app, unit, north(HOSPITAL, 400)); // out again before the dwell: no arrival
    await report(app, unit, north(HOSPITAL, 60));
    await settled(app);
    assert.deepEqual(kindsOf(await eventsOf(app, unit, ['PLACE_ENTERED', 'PLACE_LEFT'])), []);
    await sleep(DWELL_MS + 100);
    await report(app, unit, north(HOSPITAL, 95));
    await settled(app);
    // GPS jitter across the 100 m border, within the 30 m margin.
    for (const metres of [105, 98, 115, 99, 125, 90, 128]) await report(app, unit, north(HOSPITAL, metres));
    await settled(app);
    const inside = await eventsOf(app, unit, ['PLACE_ENTERED', 'PLACE_LEFT']);
    assert.deepEqual(kindsOf(inside), ['PLACE_ENTERED']);
    assert.deepEqual(inside[0]?.place, { id: hospitalId, name: 'City Hospital', kind: 'HOSPITAL' });
    await report(app, unit, north(HOSPITAL, 140));
    await report(app, unit, north(HOSPITAL, 100));
    await settled(app);
    assert.deepEqual(kindsOf(await eventsOf(app, unit, ['PLACE_ENTERED', 'PLACE_LEFT'])), [
      'PLACE_ENTERED',
      'PLACE_LEFT',
    ]);
    const visit = await app.app.models.collections.placeVisits.findOne({ _id: unit });
    assert.ok(visit && Array.isArray(visit.inside) && visit.inside.length === 0);
  });

  it('follows the status table: TRANSPORTING → AT_HOSPITAL at a hospital, AT_HOSPITAL → AVAILABLE at the station', async () => {
    const unit = uniqueName('status');
    await report(app, unit, north(HOSPITAL, 2000));
    await settled(app);
    const set = await askOk<{ setUnitStatus: { status: string; statusBy: string | null } }>(app, SET_STATUS, {
      id: unit,
      status: 'TRANSPORTING',
      note: 'patient on board',
    });
    assert.equal(set.setUnitStatus.status, 'TRANSPORTING');
    await report(app, unit, north(HOSPITAL, 10));
    await sleep(DWELL_MS + 100);
    await report(app, unit, north(HOSPITAL, 10));
    await settled(app);
    const atHospital = await askOk<{ ambulance: { status: string; statusBy: string } }>(
      app,
      'query($id: ID!) { ambulance(id: $id) { status statusBy } }',
      { id: unit },
    );
    assert.deepEqual(atHospital.ambulance, { status: 'AT_HOSPITAL', statusBy: 'system:hospital-arrival' });
    await report(app, unit, north(STATION, 10));
    await sleep(DWELL_MS + 100);
    await report(app, unit, north(STATION, 10));
    await settled(app);
    const changes = await eventsOf(app, unit, ['STATUS_CHANGED']);
    assert.deepEqual(
      changes.map((event) => [event.previousStatus, event.status, event.by]),
      [
        ['AVAILABLE', 'TRANSPORTING', null],
        ['TRANSPORTING', 'AT_HOSPITAL', 'system:hospital-arrival'],
        ['AT_HOSPITAL', 'AVAILABLE', 'system:back-at-base'],
      ],
    );
    assert.equal(changes[0]?.note, 'patient on board');
  });

  it('keeps a hand-set status over inference until a matching trigger', async () => {
    const unit = uniqueName('hand');
    await report(app, unit, north(HOSPITAL, 2000));
    await settled(app);
    await askOk(app, SET_STATUS, { id: unit, status: 'OUT_OF_SERVICE' });
    // Entering the hospital or the station triggers nothing for an OUT_OF_SERVICE unit.
    for (const place of [HOSPITAL, STATION]) {
      await report(app, unit, north(place, 10));
      await sleep(DWELL_MS + 100);
      await report(app, unit, north(place, 10));
      await settled(app);
    }
    assert.deepEqual(kindsOf(await eventsOf(app, unit, ['PLACE_ENTERED'])), ['PLACE_ENTERED', 'PLACE_ENTERED']);
    const status = await askOk<{ ambulance: { status: string } }>(
      app,
      'query($id: ID!) { ambulance(id: $id) { status } }',
      {
        id: unit,
      },
    );
    assert.equal(status.ambulance.status, 'OUT_OF_SERVICE');
    // Setting the same status again changes nothing and records nothing.
    await askOk(app, SET_STATUS, { id: unit, status: 'OUT_OF_SERVICE' });
    assert.equal((await eventsOf(app, unit, ['STATUS_CHANGED'])).length, 1);
  });

  it('announces SPEEDING_STARTED once per speeding episode, at its first RED point', async () => {
    const unit = uniqueName('speed');
    const far = north(HOSPITAL, 5000);
    for (const speed of [100, 130, 140, 125, 50, 130, 135]) await report(app, unit, far, speed);
    await settled(app);
    const speeding = await eventsOf(app, unit, ['SPEEDING_STARTED']);
    assert.equal(speeding.length, 2);
    assert.equal(speeding[0]?.note, '130 km/h');
  });

  it('records CRASH_REPORTED, and one shared acknowledgement announced live to every subscriber', async () => {
    const unit = uniqueName('crash');
    const client = wsClient(app.wsUrl);
    clients.push(client);
    const live = subscribe<EventNode>(
      client,
      `subscription($id: ID) { ambulanceEvent(ambulanceId: $id, kinds: [CRASH_ACKNOWLEDGED]) { ${EVENT_FIELDS} } }`,
      { id: unit },
    );
    await waitForSubscribers(app, 1);
    const fields = {
      ambulance_id: unit,
      tracking_latitude: 13.7,
      tracking_longitude: 100.4,
      tracking_speed: 10,
      tracking_heading: 0,
    };
    assert.equal((await postFields(`${app.url}${ENDPOINTS.crash}`, fields)).status, 200);
    // Recorded before the device got its answer (no waiting), and once for a repeat of the same crash.
    assert.equal((await eventsOf(app, unit, ['CRASH_REPORTED'])).length, 1);
    assert.equal((await postFields(`${app.url}${ENDPOINTS.crash}`, fields)).status, 200);
    const reported = await eventsOf(app, unit, ['CRASH_REPORTED']);
    assert.equal(reported.length, 1);
    const crashId = reported[0]?.crashId as string;
    const acknowledge =
      'mutation($id: ID!, $note: String) { acknowledgeCrash(id: $id, note: $note) { id acknowledgedAt acknowledgeNote } }';
    const [first, second] = await Promise.all([
      askOk<{ acknowledgeCrash: { acknowledgedAt: string; acknowledgeNote: string } }>(app, acknowledge, {
        id: crashId,
        note: 'on it',
      }),
      askOk<{ acknowledgeCrash: { acknowledgedAt: string; acknowledgeNote: string } }>(app, acknowledge, {
        id: crashId,
        note: 'me too',
      }),
    ]);
    assert.ok(first.acknowledgeCrash.acknowledgedAt);
    assert.deepEqual(first.acknowledgeCrash, second.acknowledgeCrash);
    const [event] = await live.waitFor(1);
    assert.equal(event?.kind, 'CRASH_ACKNOWLEDGED');
    assert.equal(event?.crashId, crashId);
    assert.equal((await eventsOf(app, unit, ['CRASH_ACKNOWLEDGED'])).length, 1);
    const history = await askOk<{ crashes: { edges: Array<{ node: { acknowledgedAt: string } }> } }>(
      app,
      'query($id: ID) { crashes(ambulanceId: $id) { edges { node { acknowledgedAt } } } }',
      { id: unit },
    );
    assert.equal(history.crashes.edges[0]?.node.acknowledgedAt, first.acknowledgeCrash.acknowledgedAt);
    await sleep(200);
    assert.equal(live.items.length, 1, 'the second acknowledgement is not announced');
    const missing = await ask(app, acknowledge, { id: '0123456789abcdef01234567' });
    assert.equal(missing.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });

  it('ranks the nearest units by distance with an ETA, filtered by status and connectivity', async () => {
    const target = { latitude: -33.9, longitude: 18.4 };
    const [near, middle, far, busy] = ['near', 'middle', 'far', 'busy'].map((label) => uniqueName(label)) as [
      string,
      string,
      string,
      string,
    ];
    await report(app, far, north(target, 3000));
    await report(app, near, north(target, 1000));
    await report(app, middle, north(target, 2000));
    await report(app, busy, north(target, 500));
    await settled(app);
    await askOk(app, SET_STATUS, { id: busy, status: 'ON_SCENE' });
    const query = `query($lat: Float!, $lon: Float!, $statuses: [UnitStatus!], $first: Int) {
      nearestAmbulances(latitude: $lat, longitude: $lon, statuses: $statuses, first: $first, withinMeters: 10000) {
        ambulance { id status connectivity } distanceMeters etaSeconds
      }
    }`;
    type Nearby = {
      ambulance: { id: string; status: string; connectivity: string };
      distanceMeters: number;
      etaSeconds: number;
    };
    const all = await askOk<{ nearestAmbulances: Nearby[] }>(app, query, {
      lat: target.latitude,
      lon: target.longitude,
    });
    assert.deepEqual(
      all.nearestAmbulances.map((nearby) => nearby.ambulance.id),
      [busy, near, middle, far],
    );
    const available = await askOk<{ nearestAmbulances: Nearby[] }>(app, query, {
      lat: target.latitude,
      lon: target.longitude,
      statuses: ['AVAILABLE'],
      first: 2,
    });
    assert.deepEqual(
      available.nearestAmbulances.map((nearby) => nearby.ambulance.id),
      [near, middle],
    );
    const first = available.nearestAmbulances[0] as Nearby;
    assert.ok(Math.abs(first.distanceMeters - 1000) < 5, String(first.distanceMeters));
    // 40 km/h by default: 1000 m in 90 s.
    assert.ok(Math.abs(first.etaSeconds - 90) <= 1, String(first.etaSeconds));
    assert.equal(first.ambulance.connectivity, 'ONLINE');
    const offlineOnly = await askOk<{ nearestAmbulances: Nearby[] }>(
      app,
      'query($lat: Float!, $lon: Float!) { nearestAmbulances(latitude: $lat, longitude: $lon, connectivities: [OFFLINE], withinMeters: 10000) { distanceMeters } }',
      { lat: target.latitude, lon: target.longitude },
    );
    assert.deepEqual(offlineOnly.nearestAmbulances, []);
    const bad = await ask(app, query, { lat: 91, lon: 0 });
    assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });
});
