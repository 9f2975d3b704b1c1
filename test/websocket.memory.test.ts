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
    const upgrades: Array<WeakRef<IncomingMessage>> = [];
    const keep = (request: IncomingMessage) => upgrades.push(new WeakRef(request));
    app.app.httpServer.prependListener('upgrade', keep);
    const client = wsClient(app.wsUrl);
    let subscription: Subscription<unknown> | undefined;
    try {
      subscription = subscribe(client, 'subscription ($id: ID) { trackingUpdated(ambulanceId: $id) { id } }', {
        id: uniqueName('amb'),
      });
      await waitForSubscribers(app, 1);
      app.app.httpServer.off('upgrade', keep);
      assert.equal(upgrades.length, 1, 'one upgrade request seen');
      assert.equal(await collected(upgrades[0] as WeakRef<IncomingMessage>), true, 'the upgrade request was collected');
      assert.equal(app.app.subscriptions.activeSubscribers, 1, 'the subscription is still live');
    } finally {
      app.app.httpServer.off('upgrade', keep);
      subscription?.dispose();
      await client.dispose();
    }
  });
});
