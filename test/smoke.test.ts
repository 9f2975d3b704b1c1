import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { graphqlRequest, subscribe, wsClient } from './helpers/graphql.client.js';
import { ENDPOINTS, postFields, trackingFields } from './helpers/http.client.js';
import { startTestApp, type TestApp, waitForSubscribers } from './helpers/test-app.js';

describe('smoke', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });

  it('stores a point and delivers it to a subscriber', async () => {
    const client = wsClient(app.wsUrl);
    const sub = subscribe<{ id: string; speed: number }>(
      client,
      'subscription($id: ID) { trackingUpdated(ambulanceId: $id) { id speed state } }',
      { id: '332' },
    );
    await waitForSubscribers(app, 1);
    const response = await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields('332', 90));
    assert.equal(response.status, 200);
    const [event] = await sub.waitFor(1);
    assert.equal(event?.speed, 90);
    const history = await graphqlRequest<{ trackingHistory: { edges: Array<{ node: { id: string } }> } }>(
      app.graphqlUrl,
      '{ trackingHistory(ambulanceId: "332") { edges { node { id } } } }',
    );
    assert.equal(history.data?.trackingHistory.edges[0]?.node.id, event?.id);
    sub.dispose();
    await client.dispose();
  });
});
