import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose from 'mongoose';
import { testEnv, uniqueName } from './helpers/test-env.js';

/**
 * The FerretDB the project builds (src/infra/ferretdb.process.ts, SOURCE_PATCHES) runs updates atomically and finds documents by `_id`
 * through its `_id` index: unpatched FerretDB v1 scans the whole collection for every lookup, update and
 * delete by `_id`, which made each fleet-position update cost as much as the fleet is large; and it scanned
 * for any filter holding more than `_id` (compare-and-set) or `_id: {$in}` (the duplicate check of points).
 */
describe("the test and embedded FerretDB (the project's build)", () => {
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

  it('looks _id up through the index also beside other conditions and for $in of strings and ObjectIds', async () => {
    const fleet = db.collection<{ _id: string; n: number }>('fleet_pushdown');
    const points = db.collection<{ n: number }>('points_pushdown');
    await fleet.insertMany(Array.from({ length: 50 }, (_, n) => ({ _id: `A${n}`, n })));
    const inserted = await points.insertMany(Array.from({ length: 50 }, (_, n) => ({ n })));
    const [id3, id5] = [
      inserted.insertedIds[3] as mongoose.Types.ObjectId,
      inserted.insertedIds[5] as mongoose.Types.ObjectId,
    ];
    const indexed = /SEARCH \S+ USING INDEX \S+__id_/;
    assert.match(await planOf('fleet_pushdown', { _id: 'A7', n: { $ne: 7 } }), indexed);
    assert.match(await planOf('fleet_pushdown', { _id: { $in: ['A7', 'A9'] } }), indexed);
    assert.match(await planOf('points_pushdown', { _id: { $in: [id3, id5] } }), indexed);
    // A value the index cannot answer (a number among the strings) leaves the filter to FerretDB's scan.
    assert.match(await planOf('fleet_pushdown', { _id: { $in: ['A7', 9] } }), /SCAN/);

    // FerretDB still applies the whole filter to what the index returns.
    assert.deepEqual(await fleet.findOne({ _id: 'A7', n: { $ne: 7 } }), null);
    assert.deepEqual(await fleet.findOne({ _id: 'A7', n: 7 }), { _id: 'A7', n: 7 });
    const found = await points.find({ _id: { $in: [id3, id5, new mongoose.Types.ObjectId()] } }).toArray();
    assert.deepEqual(found.map(({ n }) => n).sort(), [3, 5]);
    assert.deepEqual(
      (await fleet.find({ _id: { $in: ['A7', 'A9', 'B1'] } }, { sort: { n: 1 } }).toArray()).map(({ n }) => n),
      [7, 9],
    );
    assert.deepEqual(await points.find({ _id: { $in: [id3, id5] }, n: 5 }).toArray(), [{ _id: id5, n: 5 }]);
    const missed = await fleet.findOneAndUpdate({ _id: 'A8', n: { $ne: 8 } }, { $set: { n: 80 } });
    assert.equal(missed, null);
    assert.equal((await fleet.updateOne({ _id: 'A8', n: 8 }, { $set: { n: 80 } })).modifiedCount, 1);
    assert.equal((await fleet.deleteMany({ _id: { $in: ['A1', 'A2'] }, n: 2 })).deletedCount, 1);
    assert.equal(await fleet.countDocuments({ _id: { $in: ['A1', 'A2', 'A8'] } }), 2);
  });

  it('applies concurrent updates from many connections one after another (none lost, one compare-and-set wins)', async () => {
    // Unpatched FerretDB v1 read the documents, then wrote them whole: of these 400 increments 213 remained, and
    // concurrent upserts of the same _id failed with duplicate keys.
    const pool = new mongoose.mongo.MongoClient(testEnv.mongoUri, { maxPoolSize: 50 });
    await pool.connect();
    try {
      const counters = pool.db(db.databaseName).collection<{ _id: string; n: number }>('counters');
      const results = await Promise.allSettled(
        Array.from({ length: 400 }, (_, i) =>
          counters.updateOne({ _id: `k${i % 40}` }, { $inc: { n: 1 } }, { upsert: true }),
        ),
      );
      assert.deepEqual(
        results.filter((result) => result.status === 'rejected'),
        [],
      );
      const counted = await counters.find({}).toArray();
      assert.equal(counted.length, 40);
      assert.ok(
        counted.every(({ n }) => n === 10),
        JSON.stringify(counted),
      );

      const slots = pool.db(db.databaseName).collection<{ _id: string; owner: string | null }>('slots');
      await slots.insertOne({ _id: 'slot', owner: null });
      const claims = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          slots.findOneAndUpdate({ _id: 'slot', owner: null }, { $set: { owner: `w${i}` } }),
        ),
      );
      assert.equal(claims.filter((before) => before !== null).length, 1);
    } finally {
      await pool.close();
    }
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
