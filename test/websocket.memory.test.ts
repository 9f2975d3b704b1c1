import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Subscription, subscribe, wsClient } from './helpers/graphql.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp, waitForSubscribers } from './helpers/test-app.js';
import { uniqueName } from './helpers/test-env.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Collects until `ref` is cleared or `rounds` collections have passed; a WeakRef holds its target for one turn. */
async function collected(ref: WeakRef<object>, rounds = 10): Promise<boolean> {
  for (let round = 0; round < rounds; round += 1) {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    if (ref.deref() === undefined) return true;
  }
  return false;
}

// What one connected dashboard costs in memory is what 20,000 of them cost twenty thousand times (bench:subscribers).
describe('memory held by an open WebSocket subscription', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ events: 'local' });
  });
  after(() => closeAll(() => app.close()));

  it('keeps neither the upgrade request nor its headers while the subscription is live', async () => {
    const upgrades: Array<WeakRef<object>> = [];
    const keep = (request: IncomingMessage) => {
      upgrades.push(new WeakRef(request), new WeakRef(request.headers), new WeakRef(request.rawHeaders));
    };
    app.app.httpServer.prependListener('upgrade', keep);
    const client = wsClient(app.wsUrl);
    let subscription: Subscription<unknown> | undefined;
    try {
      subscription = subscribe(client, 'subscription ($id: ID) { trackingUpdated(ambulanceId: $id) { id } }', {
        id: uniqueName('amb'),
      });
      await waitForSubscribers(app, 1);
      app.app.httpServer.off('upgrade', keep);
      assert.equal(upgrades.length, 3, 'one upgrade request seen');
      const [request, headers, rawHeaders] = upgrades;
      assert.ok(request && headers && rawHeaders);
      assert.equal(await collected(request), true, 'the upgrade request was collected');
      assert.equal(await collected(headers), true, 'its headers were collected');
      assert.equal(await collected(rawHeaders), true, 'its raw headers were collected');
      assert.equal(app.app.subscriptions.activeSubscribers, 1, 'the subscription is still live');
    } finally {
      app.app.httpServer.off('upgrade', keep);
      subscription?.dispose();
      await client.dispose();
    }
  });
});
