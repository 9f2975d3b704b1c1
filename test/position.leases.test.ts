import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose, { Types } from 'mongoose';
import { createModels, logCollection, type Models } from '../src/models/models.js';
import { PositionLeases } from '../src/models/position.leases.js';
import { abandonBlock, STREAM_POSITIONS_COLLECTION, StreamPositions } from '../src/models/stream.positions.js';
import { testEnv, uniqueName, waitUntil } from './helpers/test-env.js';

const HOLD_MS = 150;
const SOLE_AFTER_MS = 1_000;

/**
 * Positions taken ahead (src/models/position.leases.ts), against FerretDB: one allocation serves many writes
 * while the instance writes alone, what is left is given back, and a second writer turns it to exact blocks.
 */
describe('position leases: positions taken ahead by a log’s only writer', () => {
  let connection: mongoose.Connection;
  let models: Models;
  let allocations = 0;

  /** A writer of this instance: takes positions, stores a document at each, releases. */
  const write = async (leases: PositionLeases, count: number): Promise<number[]> => {
    const lease = await leases.take('trackings', count);
    await logCollection(models, 'trackings').insertMany(
      lease.positions.map((seq) => ({ _id: new Types.ObjectId(), ambulance_id: 'L1', seq })),
    );
    lease.release(true);
    return [...lease.positions];
  };

  const positionsDoc = () =>
    connection
      .collection<{ _id: string; next: number; open?: Record<string, { from: number; to: number }> }>(
        STREAM_POSITIONS_COLLECTION,
      )
      .findOne({ _id: 'trackings' } as never);

  before(async () => {
    connection = await mongoose.createConnection(testEnv.mongoUri, { dbName: uniqueName('leases') }).asPromise();
    models = createModels(connection, { size: 64, holdMs: HOLD_MS, soleWriterAfterMs: SOLE_AFTER_MS });
    await models.tracking.createIndexes();
    const allocate = models.positions.allocate.bind(models.positions);
    models.positions.allocate = (log, count) => {
      allocations += 1;
      return allocate(log, count);
    };
  });

  after(async () => {
    await models.leases.stop();
    await connection.dropDatabase();
    await connection.close();
  });

  it('a sole writer takes consecutive positions from one allocation, and gives back what it did not use', async () => {
    // Until it has written alone for a while, a writer takes exact blocks: one allocation per write.
    const [one] = await write(models.leases, 1);
    const [two] = await write(models.leases, 1);
    assert.equal(allocations, 2);
    assert.equal(two, (one as number) + 1);
    await new Promise((resolve) => setTimeout(resolve, SOLE_AFTER_MS));
    const before = allocations;
    const taken: number[] = [];
    for (let write_ = 0; write_ < 5; write_ += 1) taken.push(...(await write(models.leases, 1)));
    assert.equal(allocations - before, 1, 'five writes, one allocation');
    const first = taken[0] as number;
    assert.equal(first, (two as number) + 1);
    assert.deepEqual(
      taken,
      Array.from({ length: 5 }, (_, at) => first + at),
      'consecutive positions, in the order of the writes',
    );
    // While the reserve is held the log's watermark stays below it: readers wait for it.
    assert.ok((await models.positions.head('trackings')).settled < first);
    // After the hold time the unused positions are given back: `next` moves back, nothing is left open.
    await waitUntil(
      async () => {
        const doc = await positionsDoc();
        return doc?.next === first + 4 && Object.keys(doc.open ?? {}).length === 0;
      },
      { message: 'the reserve given back and closed' },
    );
    const head = await models.positions.head('trackings');
    assert.equal(head.settled, first + 4, 'every position up to the last one used is settled');
    // The next write continues right after the last position used: no gap, no tombstone.
    const [next] = await write(models.leases, 1);
    assert.equal(next, first + 5);
    assert.equal(await logCollection(models, 'trackings').countDocuments({ abandoned: true }), 0);
  });

  it('a reserve used up is closed once its writes are stored, and the next one is larger', async () => {
    await waitUntil(async () => Object.keys((await positionsDoc())?.open ?? {}).length === 0, {
      message: 'nothing open',
    });
    const before = allocations;
    const taken: number[] = [];
    for (let write_ = 0; write_ < 12; write_ += 1) taken.push(...(await write(models.leases, 3)));
    assert.equal(new Set(taken).size, 36);
    assert.ok(allocations - before <= 3, `36 positions in at most three allocations (${allocations - before})`);
    await waitUntil(async () => Object.keys((await positionsDoc())?.open ?? {}).length === 0, {
      message: 'all closed or given back',
    });
    assert.equal((await models.positions.head('trackings')).settled, taken.at(-1));
  });

  it('a failed write leaves its reserve open for readers to settle, and the next write takes a new one', async () => {
    const lease = await models.leases.take('trackings', 1);
    lease.release(false);
    const [later] = await write(models.leases, 1);
    assert.ok((later as number) > (lease.positions[0] as number));
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS * 3));
    const head = await models.positions.head('trackings');
    assert.ok(
      head.open.some(
        (block) => block.from <= (lease.positions[0] as number) && block.to >= (lease.positions[0] as number),
      ),
      'the failed position stays in an open block (readers give it up after the abandon time)',
    );
    await models.positions.close('trackings', head.open[0] as never);
  });

  it('another writer allocating turns this one to exact blocks; its unused positions become tombstones', async () => {
    const other = new StreamPositions(connection.collection(STREAM_POSITIONS_COLLECTION) as never);
    await waitUntil(async () => Object.keys((await positionsDoc())?.open ?? {}).length === 0, {
      message: 'nothing open',
    });
    const [mine] = await write(models.leases, 1);
    const reserve = (await models.positions.head('trackings')).open.find((block) => block.from === mine);
    assert.ok(reserve && reserve.to > (mine as number), 'a reserve is held');
    // Another instance allocates after the reserve (and stores and closes its block).
    const block = await other.allocate('trackings', 1);
    assert.equal(block.from, (reserve.to as number) + 1);
    await logCollection(models, 'trackings').insertOne({ _id: new Types.ObjectId(), seq: block.from } as never);
    await other.close('trackings', block);
    // At the hold time the reserve cannot move `next` back: its unused positions get tombstones, then it closes.
    await waitUntil(async () => (await models.positions.head('trackings')).settled === block.from, {
      message: 'the watermark past both',
    });
    const tombstones = await logCollection(models, 'trackings')
      .find({ seq: { $gt: mine as number, $lte: reserve.to } })
      .toArray();
    assert.equal(tombstones.length, reserve.to - (mine as number));
    assert.ok(tombstones.every((doc) => doc.abandoned === true));
    // From now on this instance takes exact blocks: one allocation per write, nothing held ahead.
    const before = allocations;
    await write(models.leases, 2);
    await write(models.leases, 1);
    assert.equal(allocations - before, 2);
    assert.ok(models.positions.soleWriterFor('trackings') < SOLE_AFTER_MS);
  });

  it('a reserve a reader gave up is not given back: the log stays settled past its tombstones', async () => {
    // A writer whose give-back comes after the abandon time (a stalled store, clocks apart): a reader has put
    // tombstones in the block's empty positions and closed it. Moving `next` back under those tombstones, or
    // writing the block's end into a block no longer listed, would leave the log's head unusable.
    const collection = connection.collection(STREAM_POSITIONS_COLLECTION) as never;
    const writer = new StreamPositions(collection);
    const reader = new StreamPositions(collection);
    for (const stored of [false, true]) {
      const block = await writer.allocate('snapshots', 10);
      await logCollection(models, 'snapshots').insertOne({ _id: new Types.ObjectId(), seq: block.from } as never);
      assert.equal(await abandonBlock(reader, 'snapshots', logCollection(models, 'snapshots'), block), 9);
      assert.equal(await writer.shrink('snapshots', block, block.from, stored), false, 'nothing given back');
      const head = await writer.head('snapshots');
      assert.deepEqual(
        { allocated: head.allocated, settled: head.settled, open: head.open.length },
        { allocated: block.to, settled: block.to, open: 0 },
        `stored: ${stored}`,
      );
    }
  });

  it('a close whose update fails once is tried again: the log does not wait for a reader to give the block up', async () => {
    const real = connection.collection(STREAM_POSITIONS_COLLECTION);
    let failures = 1;
    // The store refuses the next update once (a moment's outage); everything else goes to it.
    const flaky = new Proxy(real, {
      get(target, property) {
        if (property === 'updateOne' && failures > 0) {
          return async () => {
            failures -= 1;
            throw new Error('connection reset');
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const positions = new StreamPositions(flaky as never);
    const block = await positions.allocate('crashes', 3);
    await positions.close('crashes', block);
    assert.equal(failures, 0, 'the first close failed');
    const head = await positions.head('crashes');
    assert.deepEqual({ settled: head.settled, open: head.open.length }, { settled: block.to, open: 0 });
  });
});
