import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'graphql-ws';
import { askOk } from './helpers/dispatch.helpers.js';
import { type Subscription, subscribe, wsClient } from './helpers/graphql.client.js';
import { ENDPOINTS, postFields } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp, waitForSubscribers } from './helpers/test-app.js';
import { uniqueName } from './helpers/test-env.js';

const CRASHES =
  'subscription($id: ID, $after: String) { crashReported(ambulanceId: $id, after: $after) { id cursor acknowledgedAt acknowledgeNote escalatedAt } }';
const ACKNOWLEDGE =
  'mutation($id: ID!, $note: String) { acknowledgeCrash(id: $id, note: $note) { acknowledgedAt acknowledgeNote } }';

interface CrashItem {
  id: string;
  cursor: string;
  acknowledgedAt: string | null;
  acknowledgeNote: string | null;
  escalatedAt: string | null;
}

/**
 * A crash replayed to a resumed subscription is read back from the store, so it says whether a dispatcher took it
 * meanwhile: a dashboard that was away must not raise (and beep for) an alert another dispatcher has handled. A
 * crash announced live was taken by nobody yet.
 */
describe('crashes replayed to a resumed subscription carry what dispatchers did since', () => {
  let app: TestApp;
  const clients: Client[] = [];
  const subscriptions: Array<Subscription<CrashItem>> = [];
  const ambulance = uniqueName('crash-replay');

  const open = (variables: Record<string, unknown>) => {
    const client = wsClient(app.wsUrl);
    clients.push(client);
    const subscription = subscribe<CrashItem>(client, CRASHES, variables);
    subscriptions.push(subscription);
    return subscription;
  };

  // Two different readings: an exact repeat within the duplicate window is answered but not stored again.
  const postCrash = async (latitude: number) => {
    const result = await postFields(`${app.url}${ENDPOINTS.crash}`, {
      ambulance_id: ambulance,
      tracking_latitude: latitude,
      tracking_longitude: -73.6,
      tracking_speed: 12,
      tracking_heading: 90,
    });
    assert.equal(result.status, 200, result.text);
  };

  before(async () => {
    app = await startTestApp();
  });

  after(async () => {
    for (const subscription of subscriptions) subscription.dispose();
    await closeAll(...clients.map((client) => () => client.dispose()), () => app?.close());
  });

  it('live: not acknowledged; replayed after an acknowledgement: acknowledged, with its note', async () => {
    const live = open({ id: ambulance });
    await waitForSubscribers(app, 1);
    await postCrash(45.5);
    const [seen] = await live.waitFor(1);
    assert.ok(seen);
    await postCrash(45.51);
    const [, taken] = await live.waitFor(2);
    assert.ok(taken);
    assert.equal(taken.acknowledgedAt, null, 'announced live: nobody has taken it yet');

    const acknowledged = await askOk<{ acknowledgeCrash: { acknowledgedAt: string; acknowledgeNote: string } }>(
      app,
      ACKNOWLEDGE,
      { id: taken.id, note: 'unit 12 sent' },
    );
    assert.ok(acknowledged.acknowledgeCrash.acknowledgedAt);

    // A dashboard that saw only the first crash resumes after it: the second comes back as it is stored now.
    const resumed = open({ id: ambulance, after: seen.cursor });
    const [replayed] = await resumed.waitFor(1);
    assert.equal(replayed?.id, taken.id);
    assert.equal(replayed?.acknowledgedAt, acknowledged.acknowledgeCrash.acknowledgedAt);
    assert.equal(replayed?.acknowledgeNote, 'unit 12 sent');
    assert.equal(replayed?.escalatedAt, null);
    assert.deepEqual(resumed.errors, []);
    assert.deepEqual(live.errors, []);
  });
});
