import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'graphql-ws';
import { bearer, mintToken, startSecuredTestApp } from './helpers/auth.helpers.js';
import {
  ask,
  CREATE_PLACE,
  createCircle,
  EVENT_FIELDS,
  type EventNode,
  HOSPITAL,
  north,
  report,
  SET_STATUS,
  settled,
} from './helpers/dispatch.helpers.js';
import { type Subscription, subscribe, wsClient } from './helpers/graphql.client.js';
import { ENDPOINTS, postFields } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import type { TestApp } from './helpers/test-app.js';
import { uniqueName, waitUntil } from './helpers/test-env.js';

type Errors = Array<{ message: string; extensions?: Record<string, unknown> }> | undefined;
const codeOf = (response: { errors?: Errors }) => response.errors?.[0]?.extensions?.code;
const errorsOf = (subscription: Subscription<unknown>) =>
  subscription.errors.flatMap((error) => (Array.isArray(error) ? error : [error])) as NonNullable<Errors>;

const EVENTS = `query($id: ID) { ambulanceEvents(ambulanceId: $id) { edges { node { ambulanceId kind } } } }`;
const SUBSCRIPTION = `subscription($id: ID) { ambulanceEvent(ambulanceId: $id) { ${EVENT_FIELDS} } }`;
const NEAREST = `query { nearestAmbulances(latitude: ${HOSPITAL.latitude}, longitude: ${HOSPITAL.longitude}, first: 50) {
  ambulance { id status statusSince connectivity lastReportAt } } }`;
const ACKNOWLEDGE = 'mutation($id: ID!) { acknowledgeCrash(id: $id) { id acknowledgedAt acknowledgedBy } }';

describe('dispatch fields and subscriptions obey token roles and ambulance scopes', () => {
  let app: TestApp;
  const inScope = uniqueName('in');
  const outOfScope = uniqueName('out');
  const headers = { dispatcher: {}, partner: {}, scoped: {}, device: {}, scopedDispatcher: {} } as Record<
    'dispatcher' | 'partner' | 'scoped' | 'device' | 'scopedDispatcher',
    Record<string, string>
  >;
  const crashIds: Record<string, string> = {};
  const clients: Client[] = [];

  const connect = (authorization: Record<string, string>) => {
    const client = wsClient(app.wsUrl, { connectionParams: { authorization: authorization.authorization } });
    clients.push(client);
    return client;
  };

  before(async () => {
    app = await startSecuredTestApp({ env: { PLACE_DWELL_SECONDS: '0' } });
    headers.dispatcher = bearer(await mintToken('dispatcher', { subject: 'dispatcher-1' }));
    headers.partner = bearer(await mintToken('partner'));
    headers.scoped = bearer(await mintToken('partner', { ambulances: [inScope] }));
    headers.device = bearer(await mintToken('device', { ambulances: [inScope] }));
    headers.scopedDispatcher = bearer(
      await mintToken('dispatcher', { ambulances: [inScope], subject: 'dispatcher-2' }),
    );
    await createCircle(app, 'Scoped Hospital', 'HOSPITAL', HOSPITAL, 100, headers.dispatcher);
    for (const id of [inScope, outOfScope]) {
      await report(app, id, north(HOSPITAL, 10));
      const crash = await postFields(`${app.url}${ENDPOINTS.crash}`, {
        ambulance_id: id,
        tracking_latitude: 1,
        tracking_longitude: 1,
        tracking_speed: 1,
        tracking_heading: 0,
      });
      assert.equal(crash.status, 200);
    }
    await settled(app);
    for (const id of [inScope, outOfScope]) {
      const stored = await app.app.models.collections.crashes.findOne({ ambulance_id: id });
      crashIds[id] = stored?._id.toHexString() as string;
    }
  });
  after(() => closeAll(...clients.map((client) => () => client.dispose()), () => app.close()));

  it('lets dispatchers and partners read places, devices not, and only dispatchers change them', async () => {
    for (const reader of [headers.dispatcher, headers.partner, headers.scoped]) {
      const response = await ask(app, '{ places { name kind } }', {}, reader);
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    }
    assert.equal(codeOf(await ask(app, '{ places { name } }', {}, headers.device)), 'FORBIDDEN');
    const input = { name: 'x', kind: 'BASE', latitude: 1, longitude: 1, radiusMeters: 10 };
    for (const caller of [headers.partner, headers.scoped, headers.device]) {
      assert.equal(codeOf(await ask(app, CREATE_PLACE, { input }, caller)), 'FORBIDDEN');
      assert.equal(
        codeOf(await ask(app, 'mutation { deletePlace(id: "0123456789abcdef01234567") }', {}, caller)),
        'FORBIDDEN',
      );
    }
  });

  it('serves the event log within the scope: another ambulance is FORBIDDEN, the fleet is narrowed', async () => {
    const own = await ask<{ ambulanceEvents: { edges: Array<{ node: { ambulanceId: string } }> } }>(
      app,
      EVENTS,
      { id: inScope },
      headers.scoped,
    );
    assert.ok((own.data?.ambulanceEvents.edges.length ?? 0) > 0, JSON.stringify(own));
    assert.equal(codeOf(await ask(app, EVENTS, { id: outOfScope }, headers.scoped)), 'FORBIDDEN');
    const fleet = await ask<{ ambulanceEvents: { edges: Array<{ node: { ambulanceId: string } }> } }>(
      app,
      EVENTS,
      {},
      headers.scoped,
    );
    const ids = new Set(fleet.data?.ambulanceEvents.edges.map((edge) => edge.node.ambulanceId));
    assert.deepEqual([...ids], [inScope]);
    const everything = await ask<{ ambulanceEvents: { edges: Array<{ node: { ambulanceId: string } }> } }>(
      app,
      EVENTS,
      {},
      headers.partner,
    );
    const all = new Set(everything.data?.ambulanceEvents.edges.map((edge) => edge.node.ambulanceId));
    assert.ok(all.has(inScope) && all.has(outOfScope));
    assert.equal(codeOf(await ask(app, EVENTS, { id: inScope }, headers.device)), 'FORBIDDEN');
  });

  it('ranks only units in scope, and shows status and connectivity of those', async () => {
    const scoped = await ask<{
      nearestAmbulances: Array<{ ambulance: { id: string; status: string; connectivity: string } }>;
    }>(app, NEAREST, {}, headers.scoped);
    assert.deepEqual(
      scoped.data?.nearestAmbulances.map((nearby) => [
        nearby.ambulance.id,
        nearby.ambulance.status,
        nearby.ambulance.connectivity,
      ]),
      [[inScope, 'AVAILABLE', 'ONLINE']],
    );
    const all = await ask<{ nearestAmbulances: unknown[] }>(app, NEAREST, {}, headers.dispatcher);
    assert.equal(all.data?.nearestAmbulances.length, 2);
    assert.equal(codeOf(await ask(app, NEAREST, {}, headers.device)), 'FORBIDDEN');
    const field = await ask(
      app,
      'query($id: ID!) { ambulance(id: $id) { status connectivity } }',
      { id: outOfScope },
      headers.scoped,
    );
    assert.equal(codeOf(field), 'FORBIDDEN');
  });

  it('lets only dispatchers set a status, within their scope, and records their token subject', async () => {
    for (const caller of [headers.partner, headers.scoped, headers.device]) {
      assert.equal(codeOf(await ask(app, SET_STATUS, { id: inScope, status: 'EN_ROUTE' }, caller)), 'FORBIDDEN');
    }
    assert.equal(
      codeOf(await ask(app, SET_STATUS, { id: outOfScope, status: 'EN_ROUTE' }, headers.scopedDispatcher)),
      'FORBIDDEN',
    );
    const set = await ask<{ setUnitStatus: { status: string; statusBy: string } }>(
      app,
      SET_STATUS,
      { id: inScope, status: 'EN_ROUTE' },
      headers.scopedDispatcher,
    );
    assert.deepEqual(set.data?.setUnitStatus && { ...set.data.setUnitStatus, statusSince: undefined }, {
      id: inScope,
      status: 'EN_ROUTE',
      statusSince: undefined,
      statusBy: 'dispatcher-2',
    });
  });

  it('lets only dispatchers acknowledge a crash, within their scope, as their token subject', async () => {
    for (const caller of [headers.partner, headers.scoped, headers.device]) {
      assert.equal(codeOf(await ask(app, ACKNOWLEDGE, { id: crashIds[inScope] }, caller)), 'FORBIDDEN');
    }
    // Another ambulance's crash answers as a crash that does not exist: nothing says whose it is, or that it is.
    const outside = await ask(app, ACKNOWLEDGE, { id: crashIds[outOfScope] }, headers.scopedDispatcher);
    const madeUp = '0123456789abcdef01234567';
    const missing = await ask(app, ACKNOWLEDGE, { id: madeUp }, headers.scopedDispatcher);
    assert.equal(codeOf(outside), 'NOT_FOUND');
    assert.equal(codeOf(missing), 'NOT_FOUND');
    const messageOf = (response: { errors?: Errors }, id: string) => response.errors?.[0]?.message.replace(id, '<id>');
    assert.equal(messageOf(outside, crashIds[outOfScope] as string), messageOf(missing, madeUp));
    assert.doesNotMatch(JSON.stringify(outside.errors), new RegExp(outOfScope));
    const acknowledged = await ask<{ acknowledgeCrash: { acknowledgedBy: string } }>(
      app,
      ACKNOWLEDGE,
      { id: crashIds[inScope] },
      headers.dispatcher,
    );
    assert.equal(acknowledged.data?.acknowledgeCrash.acknowledgedBy, 'dispatcher-1');
  });

  it('refuses event subscriptions outside the scope or for devices, and narrows fleet-wide ones', async () => {
    const outside = subscribe(connect(headers.scoped), SUBSCRIPTION, { id: outOfScope });
    await outside.completed;
    assert.equal(errorsOf(outside)[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(outside.errors));
    const device = subscribe(connect(headers.device), SUBSCRIPTION, { id: inScope });
    await device.completed;
    assert.equal(errorsOf(device)[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(device.errors));

    const fleet = subscribe<EventNode>(connect(headers.scoped), SUBSCRIPTION, {});
    const everything = subscribe<EventNode>(connect(headers.partner), SUBSCRIPTION, {});
    await waitUntil(() => app.app.subscriptions.activeSubscribers >= 2, { message: 'two subscribers' });
    for (const id of [outOfScope, inScope]) {
      assert.equal((await ask(app, SET_STATUS, { id, status: 'DISPATCHED' }, headers.dispatcher)).errors, undefined);
    }
    await everything.waitFor(2);
    await fleet.waitFor(1);
    assert.deepEqual(
      fleet.items.map((event) => [event.ambulanceId, event.kind, event.status]),
      [[inScope, 'STATUS_CHANGED', 'DISPATCHED']],
    );
    assert.deepEqual(new Set(everything.items.map((event) => event.ambulanceId)), new Set([outOfScope, inScope]));
  });
});
