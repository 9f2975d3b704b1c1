import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose from 'mongoose';
import { testEnv, uniqueName } from './helpers/test-env.js';

/**
 * The FerretDB the project builds (src/infra/ferretdb.process.ts, ID_LOOKUP_PATCH) finds documents by `_id`
 * through its `_id` index: unpatched FerretDB v1 scans the whole collection for every lookup, update and
 * delete by `_id`, which made each fleet-position update cost as much as the fleet is large.
 */
describe('the test and embedded FerretDB', () => {
  let client: mongoose.mongo.MongoClient;
  let db: mongoose.mongo.Db;

  before(async () => {
    client = new mongoose.mongo.MongoClient(testEnv.mongoUri);
    await client.connect();
    db = client.db(uniqueName('id_index'));
  });

  after(async () => {
    await db.dropDatabase();
    await client.close();
  });

  const planOf = async (collection: string, filter: Record<string, unknown>) => {
    const explained = await db.command({ explain: { find: collection, filter } });
    return JSON.stringify(explained.queryPlanner);
  };

  it('looks documents up by string and ObjectId _id through the _id index', async () => {
    const ambulances = db.collection<{ _id: string; n: number }>('ambulances');
    const episodes = db.collection<{ n: number }>('episodes');
    await ambulances.insertMany(Array.from({ length: 50 }, (_, n) => ({ _id: `A${n}`, n })));
    const inserted = await episodes.insertMany(Array.from({ length: 50 }, (_, n) => ({ n })));

    assert.match(await planOf('ambulances', { _id: 'A7' }), /SEARCH \S+ USING INDEX \S+__id_/);
    assert.match(await planOf('episodes', { _id: inserted.insertedIds[7] }), /SEARCH \S+ USING INDEX \S+__id_/);
    // Any other filter is still evaluated document by document.
    assert.match(await planOf('ambulances', { n: 7 }), /SCAN/);
  });

  it('still finds, updates, upserts and deletes the right documents by _id', async () => {
    const fleet = db.collection<{ _id: string; speed?: number }>('fleet');
    await fleet.insertMany([{ _id: 'F1' }, { _id: 'F2' }]);
    assert.equal((await fleet.updateOne({ _id: 'F2' }, { $set: { speed: 90 } })).modifiedCount, 1);
    assert.equal((await fleet.updateOne({ _id: 'F3' }, { $set: { speed: 30 } }, { upsert: true })).upsertedCount, 1);
    assert.equal((await fleet.deleteOne({ _id: 'F1' })).deletedCount, 1);
    assert.deepEqual(await fleet.find({}, { sort: { _id: 1 } }).toArray(), [
      { _id: 'F2', speed: 90 },
      { _id: 'F3', speed: 30 },
    ]);
    assert.equal(await fleet.findOne({ _id: 'F1' }), null);
  });
});
