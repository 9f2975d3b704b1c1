import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Client } from 'graphql-ws';
import { bearer, mintToken, startSecuredTestApp, TEST_JWT_SECRET } from './helpers/auth.helpers.js';
import { type Subscription, subscribe, wsClient } from './helpers/graphql.client.js';
import { ENDPOINTS, postFields, trackingFields } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { type TestApp, waitForSubscribers } from './helpers/test-app.js';
import { uniqueName, waitUntil } from './helpers/test-env.js';

const TRACKING = 'subscription($id: ID) { trackingUpdated(ambulanceId: $id) { ambulanceId speed } }';
type Point = { ambulanceId: string; speed: number };

/** The close code when the connection was refused or ended (graphql-ws hands the close event to the sink). */
function closeCodeOf(subscription: Subscription<unknown>): number | undefined {
  const event = subscription.errors.find((error) => typeof (error as { code?: unknown }).code === 'number');
  return (event as { code?: number } | undefined)?.code;
}

function closeReasonOf(subscription: Subscription<unknown>): string {
  const event = subscription.errors.find((error) => typeof (error as { code?: unknown }).code === 'number');
  return String((event as { reason?: string } | undefined)?.reason ?? '');
}

/** GraphQL errors the server sent for an operation (graphql-ws hands them to the sink as an array). */
function graphqlErrorsOf(
  subscription: Subscription<unknown>,
): Array<{ message: string; extensions?: Record<string, unknown> }> {
  return subscription.errors.flatMap((error) => (Array.isArray(error) ? error : [error])) as Array<{
    message: string;
    extensions?: Record<string, unknown>;
  }>;
}

/** Waits for the server to end a subscription; fails, rather than hangs, when it was let through instead. */
async function ended(subscription: Subscription<unknown>, timeoutMs = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`still subscribed; errors: ${JSON.stringify(subscription.errors)}`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([subscription.completed, hang]);
  } finally {
    clearTimeout(timer);
  }
}

describe('GraphQL over WebSocket with authentication on', () => {
  let app: TestApp;
  const clients: Client[] = [];
  const a = uniqueName('A');
  const b = uniqueName('B');

  before(async () => {
    app = await startSecuredTestApp({ env: { JWT_CLOCK_TOLERANCE_SECONDS: '0' } });
  });
  afterEach(async () => {
    await closeAll(...clients.splice(0).map((client) => () => client.dispose()));
    await waitUntil(() => app.app.subscriptions.activeSubscribers === 0, { message: 'subscribers to leave' });
  });
  after(() => app.close());

  const connect = (authorization?: string) => {
    const client = wsClient(app.wsUrl, authorization === undefined ? {} : { connectionParams: { authorization } });
    clients.push(client);
    return client;
  };
  const post = (id: string, speed: number) => postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields(id, speed));

  it('closes a connection without a token, or with an invalid or expired one, with 4403 and says why', async () => {
    const wrong = await mintToken('dispatcher', { secret: `${TEST_JWT_SECRET}-not` });
    const expired = await mintToken('dispatcher', { expiresIn: -1 });
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'Forbidden: a bearer token is required'],
      ['Bearer nonsense', 'Forbidden: token is malformed'],
      [`Bearer ${wrong}`, 'Forbidden: token signature is not valid'],
      [`Bearer ${expired}`, 'Forbidden: token expired'],
      [wrong, 'Forbidden: the authorization must be "Bearer <token>"'],
    ];
    for (const [authorization, reason] of cases) {
      const subscription = subscribe(connect(authorization), TRACKING);
      await subscription.completed;
      assert.equal(closeCodeOf(subscription), 4403, `${authorization}: ${JSON.stringify(subscription.errors)}`);
      assert.equal(closeReasonOf(subscription), reason);
      assert.equal(subscription.items.length, 0);
    }
  });

  it('delivers events to a connection with a valid token', async () => {
    const subscription = subscribe<Point>(connect(bearer(await mintToken('partner')).authorization), TRACKING, {
      id: a,
    });
    await waitForSubscribers(app, 1);
    await post(a, 42);
    assert.deepEqual(await subscription.waitFor(1), [{ ambulanceId: a, speed: 42 }]);
  });

  it('refuses a per-ambulance subscription outside the token scope, and a device role, with FORBIDDEN', async () => {
    const scoped = bearer(await mintToken('partner', { ambulances: [a] })).authorization;
    const outside = subscribe(connect(scoped), TRACKING, { id: b });
    await outside.completed;
    const [error] = graphqlErrorsOf(outside);
    assert.equal(error?.extensions?.code, 'FORBIDDEN', JSON.stringify(outside.errors));
    assert.match(error?.message ?? '', /outside the ambulances your token allows/);

    const device = subscribe(connect(bearer(await mintToken('device')).authorization), TRACKING, { id: a });
    await device.completed;
    assert.equal(graphqlErrorsOf(device)[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(device.errors));
    assert.equal(app.app.subscriptions.activeSubscribers, 0);
  });

  it("refuses a device joining a dispatcher's identical fleet-wide subscription, which keeps running", async () => {
    const fleet = subscribe<Point>(connect(bearer(await mintToken('dispatcher')).authorization), TRACKING);
    await waitForSubscribers(app, 1);
    const device = subscribe<Point>(connect(bearer(await mintToken('device')).authorization), TRACKING);
    await ended(device);
    const [error] = graphqlErrorsOf(device);
    assert.equal(error?.extensions?.code, 'FORBIDDEN', JSON.stringify(device.errors));
    assert.match(error?.message ?? '', /device role may not use Subscription.trackingUpdated/);
    assert.equal(app.app.subscriptions.activeSubscribers, 1);

    await post(a, 11);
    assert.deepEqual(await fleet.waitFor(1), [{ ambulanceId: a, speed: 11 }]);
    assert.deepEqual(device.items, []);
  });

  it("refuses a device scoped like a partner joining the partner's identical subscriptions", async () => {
    const partner = bearer(await mintToken('partner', { ambulances: [a] })).authorization;
    const device = bearer(await mintToken('device', { ambulances: [a] })).authorization;
    const perAmbulance = subscribe<Point>(connect(partner), TRACKING, { id: a });
    const fleetWide = subscribe<Point>(connect(partner), TRACKING);
    await waitForSubscribers(app, 2);
    for (const variables of [{ id: a }, {}]) {
      const joining = subscribe<Point>(connect(device), TRACKING, variables);
      await ended(joining);
      const [error] = graphqlErrorsOf(joining);
      assert.equal(
        error?.extensions?.code,
        'FORBIDDEN',
        `${JSON.stringify(variables)}: ${JSON.stringify(joining.errors)}`,
      );
      assert.deepEqual(joining.items, []);
    }
    assert.equal(app.app.subscriptions.activeSubscribers, 2);
    await post(a, 12);
    assert.deepEqual(await perAmbulance.waitFor(1), [{ ambulanceId: a, speed: 12 }]);
    assert.deepEqual(await fleetWide.waitFor(1), [{ ambulanceId: a, speed: 12 }]);
  });

  it("refuses a narrower-scoped partner joining a wider partner's subscription of an ambulance outside its scope", async () => {
    const wide = subscribe<Point>(
      connect(bearer(await mintToken('partner', { ambulances: [a, b] })).authorization),
      TRACKING,
      {
        id: b,
      },
    );
    await waitForSubscribers(app, 1);
    const narrow = subscribe<Point>(
      connect(bearer(await mintToken('partner', { ambulances: [a] })).authorization),
      TRACKING,
      {
        id: b,
      },
    );
    await ended(narrow);
    assert.equal(graphqlErrorsOf(narrow)[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(narrow.errors));
    await post(b, 13);
    assert.deepEqual(await wide.waitFor(1), [{ ambulanceId: b, speed: 13 }]);
    assert.deepEqual(narrow.items, []);
  });

  it('gives a scoped partner only its ambulances on a fleet-wide subscription, in one shared execution per scope', async () => {
    const scopedToken = bearer(await mintToken('partner', { ambulances: [a] })).authorization;
    const sameScope = bearer(await mintToken('partner', { ambulances: [a], subject: 'other-partner' })).authorization;
    const fleet = subscribe<Point>(connect(bearer(await mintToken('dispatcher')).authorization), TRACKING);
    const scoped = subscribe<Point>(connect(scopedToken), TRACKING);
    const scopedToo = subscribe<Point>(connect(sameScope), TRACKING);
    await waitForSubscribers(app, 3);
    // Unscoped and scoped callers do not share; two callers with the same scope do.
    assert.equal(app.app.subscriptions.activeOperations, 2);

    for (const [id, speed] of [
      [b, 1],
      [a, 2],
      [b, 3],
      [a, 4],
    ] as const)
      assert.equal((await post(id, speed)).status, 200);
    await fleet.waitFor(4);
    await scoped.waitFor(2);
    await scopedToo.waitFor(2);
    assert.deepEqual(
      fleet.items.map((point) => point.speed),
      [1, 2, 3, 4],
    );
    // The last event for `a` came after the last one for `b`: had b's been let through, it would be here.
    assert.deepEqual(scoped.items, [
      { ambulanceId: a, speed: 2 },
      { ambulanceId: a, speed: 4 },
    ]);
    assert.deepEqual(scopedToo.items, scoped.items);
  });

  it('ends the connection with 4403 when the token expires', async () => {
    const shortLived = bearer(await mintToken('partner', { expiresIn: 2 })).authorization;
    const subscription = subscribe<Point>(connect(shortLived), TRACKING, { id: a });
    await waitForSubscribers(app, 1);
    await post(a, 7);
    assert.deepEqual(await subscription.waitFor(1), [{ ambulanceId: a, speed: 7 }]);
    await subscription.completed;
    assert.equal(closeCodeOf(subscription), 4403);
    assert.match(closeReasonOf(subscription), /token expired/);
  });
});
