import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose from 'mongoose';
import { createStoreIndexes, filterEvaluationIn } from '../src/models/store.indexes.js';
import { trackingModel } from '../src/models/tracking.model.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { uniqueName } from './helpers/test-env.js';

/** Index keys as sorted JSON (stores list them in an order of their own). */
const keysOf = async (collection: mongoose.mongo.Collection) =>
  (await collection.indexes()).map((index) => JSON.stringify(index.key)).sort();
const asKeys = (keys: readonly object[]) => keys.map((key) => JSON.stringify(key)).sort();

describe('indexes on the test store (FerretDB v1 on SQLite)', () => {
  let app: TestApp;
  let scratch: mongoose.mongo.Db;
  const trackingSchema = trackingModel(mongoose.createConnection()).schema;

  before(async () => {
    app = await startTestApp();
    scratch = app.app.connection.getClient().db(uniqueName('indexes'));
  });

  after(async () => {
    await scratch.dropDatabase();
    await app.close();
  });

  it('says it evaluates filters document by document, even on a field it has an index for', async () => {
    const collection = scratch.collection('probe');
    await collection.createIndex({ ambulance_id: 1 });
    await collection.insertMany(Array.from({ length: 20 }, (_, n) => ({ ambulance_id: `A${n}` })));
    const explained = await collection.find({ ambulance_id: 'A7' }).explain();
    assert.equal(explained.filterPushdown, false);
    assert.doesNotMatch(JSON.stringify(explained.queryPlanner), /USING INDEX/);
    assert.match(JSON.stringify(explained.queryPlanner), /SCAN/);
    assert.equal(await filterEvaluationIn(collection, () => assert.fail('the explain failed')), 'document-by-document');
  });

  it('so the app gives it only the unique indexes, which keep log positions unique', async () => {
    const collections = app.app.models.collections;
    for (const collection of [collections.trackings, collections.crashes, collections.imageRecords]) {
      assert.deepEqual(await keysOf(collection as never), asKeys([{ _id: 1 }, { seq: 1 }]), collection.collectionName);
    }
    for (const collection of [
      collections.imageHistories,
      collections.speedingEpisodes,
      collections.ambulanceEvents,
      collections.alertOutbox,
      collections.alertClaims,
    ]) {
      assert.deepEqual(await keysOf(collection as never), asKeys([{ _id: 1 }]), collection.collectionName);
    }
  });

  it('a store that filters through indexes gets every declared index', async () => {
    const collection = scratch.collection('through_indexes');
    await createStoreIndexes([{ schema: trackingSchema, collection }], 'through-indexes');
    const declared = trackingSchema.indexes().map(([fields]) => fields);
    assert.deepEqual(await keysOf(collection), asKeys([{ _id: 1 }, ...declared]));
  });

  it('an index that fails does not keep the others from being created; the failure is reported', async () => {
    const collection = scratch.collection('one_fails');
    // Two documents at one position: the unique `seq` index cannot be built.
    await collection.insertMany([{ seq: 1 }, { seq: 1 }]);
    await assert.rejects(createStoreIndexes([{ schema: trackingSchema, collection }], 'through-indexes'));
    const others = trackingSchema
      .indexes()
      .slice(1)
      .map(([fields]) => fields);
    assert.deepEqual(await keysOf(collection), asKeys([{ _id: 1 }, ...others]));
  });
});
