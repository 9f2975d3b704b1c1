import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { graphqlRequest } from './helpers/graphql.client.js';
import { ENDPOINTS, postFields, trackingFields } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { uniqueName, waitUntil } from './helpers/test-env.js';

const LAST_POSITION = 'query Last($id: ID!) { ambulance(id: $id) { id lastPosition { id speed } } }';

interface LastPositionData {
  ambulance: { id: string; lastPosition: { id: string; speed: number } | null } | null;
}

describe('lastPosition between projection rounds (two instances, one database and Redis)', () => {
  let writer: TestApp;
  let reader: TestApp;

  before(async () => {
    // Rounds an hour apart: only an ambulance new to the writer is projected at once.
    writer = await startTestApp({ env: { PROJECTION_INTERVAL_MS: '3600000' } });
    reader = await startTestApp({
      database: writer.database,
      channelPrefix: writer.channelPrefix,
      env: { PROJECTION_INTERVAL_MS: '3600000' },
    });
  });
  after(() =>
    closeAll(
      () => reader.close(),
      () => writer.close(),
    ),
  );

  const speedOnFleetDocument = async (id: string) =>
    (await writer.app.models.collections.ambulances.findOne({ _id: id }))?.last_position?.speed;

  it('is the newest stored point on every instance, though the fleet document is a round behind', async () => {
    const id = uniqueName('LP');
    const post = async (speed: number) => {
      const result = await postFields(`${writer.url}${ENDPOINTS.tracking}`, trackingFields(id, speed));
      assert.equal(result.status, 200, result.text);
    };
    await post(11);
    await waitUntil(async () => (await speedOnFleetDocument(id)) === 11, { message: 'the first point projected' });
    await post(22);
    await post(33);
    for (const app of [writer, reader]) {
      const answer = await waitUntil(
        async () => {
          const response = await graphqlRequest<LastPositionData>(app.graphqlUrl, LAST_POSITION, { id });
          return response.data?.ambulance?.lastPosition?.speed === 33 ? response : null;
        },
        { message: `lastPosition 33 on ${app === writer ? 'the writer' : 'the reader'}` },
      );
      assert.equal(answer.data?.ambulance?.id, id);
    }
    assert.equal(await speedOnFleetDocument(id), 11, 'the fleet document still holds the first point');
    const fleet = await graphqlRequest<{ ambulances: Array<{ id: string; lastPosition: { speed: number } }> }>(
      reader.graphqlUrl,
      '{ ambulances(first: 500) { id lastPosition { speed } } }',
    );
    assert.equal(fleet.data?.ambulances.find((ambulance) => ambulance.id === id)?.lastPosition.speed, 33);
  });
});
