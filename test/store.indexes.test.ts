import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { indexingStoreOf } from '../src/models/store.indexes.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

describe('indexes on the test store (FerretDB v1)', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
  });

  after(async () => {
    await app.close();
  });

  it('is recognised as FerretDB v1', async () => {
    assert.equal(await indexingStoreOf(app.app.connection), 'ferretdb-v1');
  });

  it('gets only the unique indexes, which keep log positions unique', async () => {
    const { trackings, crashes, imageRecords, ambulanceEvents } = app.app.models.collections;
    for (const collection of [trackings, crashes, imageRecords]) {
      const keys = (await collection.indexes()).map((index) => index.key);
      assert.deepEqual(keys, [{ _id: 1 }, { seq: 1 }], collection.collectionName);
    }
    assert.deepEqual(
      (await ambulanceEvents.indexes()).map((index) => index.key),
      [{ _id: 1 }],
    );
  });

  it('because FerretDB v1 reads no other: it evaluates such filters and sorts document by document', async () => {
    const { trackings } = app.app.models.collections;
    const explained = await trackings
      .find({ ambulance_id: 'A1', count_datetime: { $gte: new Date(0) } })
      .sort({ count_datetime: 1, _id: 1 })
      .explain();
    assert.equal(explained.filterPushdown, false);
    assert.equal(explained.sortPushdown, false);
    assert.match(JSON.stringify(explained.queryPlanner), /SCAN/);
  });
});
