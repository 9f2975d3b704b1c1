import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose, { Types } from 'mongoose';
import pino from 'pino';
import type { LastPositionDoc } from '../src/models/ambulance.model.js';
import { migrateLastPositionLayout } from '../src/models/last-position.order.js';
import { createModels, type Models } from '../src/models/models.js';
import { WriteLane } from '../src/models/write.lane.js';
import { AmbulanceProjector, type EpisodeChange, type EpisodeSnapshot } from '../src/writes/ambulance.projector.js';
import { testEnv, uniqueName, waitUntil } from './helpers/test-env.js';

const position = (at: number, speed: number, trackingId = new Types.ObjectId()): LastPositionDoc => ({
  tracking_id: trackingId,
  location: { lat: 45 + speed / 1000, lon: -73.6 },
  speed,
  heading: 90,
  state: speed > 80 ? 'ORANGE' : 'GREEN',
  count_datetime: new Date(at),
  speeding_episode_id: null,
});

const episode = (id: Types.ObjectId, pointCount: number, maxSpeed: number): EpisodeSnapshot => ({
  _id: id,
  ambulance_id: 'P1',
  started_at: new Date(1_000),
  ended_at: new Date(1_000 + pointCount * 1_000),
  max_speed: maxSpeed,
  max_state: maxSpeed > 120 ? 'RED' : 'ORANGE',
  point_count: pointCount,
});

/** Counts the projector's turns in the write lane. */
class CountingLane extends WriteLane {
  backgroundTurns = 0;
  override run<T>(work: () => Promise<T>, priority: 'urgent' | 'background' = 'urgent'): Promise<T> {
    if (priority === 'background') this.backgroundTurns += 1;
    return super.run(work, priority);
  }
}

describe('ambulance projector (fleet positions and episode summaries, against FerretDB)', () => {
  let connection: mongoose.Connection;
  let models: Models;
  let projector: AmbulanceProjector;
  const lane = new CountingLane();

  before(async () => {
    connection = await mongoose.createConnection(testEnv.mongoUri, { dbName: uniqueName('projector') }).asPromise();
    models = createModels(connection);
    projector = new AmbulanceProjector(models, lane, 0, pino({ level: 'silent' }));
  });

  after(async () => {
    projector.stop();
    await connection.dropDatabase();
    await connection.close();
  });

  const record = async (
    positions: Array<[string, LastPositionDoc]>,
    episodes: Array<[Types.ObjectId, EpisodeChange]> = [],
  ) => {
    projector.record(new Map(positions), new Map(episodes.map(([id, change]) => [id.toHexString(), change])));
    await projector.drained();
  };

  it('writes each ambulance its newest position, and never an older one over a newer', async () => {
    await record([
      ['P1', position(5_000, 50)],
      ['P2', position(5_000, 60)],
    ]);
    await record([['P1', position(9_000, 90)]]);
    // Projected late, e.g. by another instance: older than what is stored.
    await record([['P1', position(7_000, 70)]]);
    const [p1, p2] = await models.collections.ambulances.find({}, { sort: { _id: 1 } }).toArray();
    assert.equal(p1?.last_position?.count_datetime.getTime(), 9_000);
    assert.equal(p1?.last_position?.speed, 90);
    assert.equal(p1?.last_position?.state, 'ORANGE');
    assert.equal(p2?.last_position?.speed, 60);
    assert.ok(p1?.createdAt instanceof Date);
  });

  it('at the same time, keeps the point stored last (the greater tracking id)', async () => {
    const earlier = new Types.ObjectId();
    const later = new Types.ObjectId();
    await record([['P3', position(4_000, 40, later)]]);
    await record([['P3', position(4_000, 30, earlier)]]);
    const stored = await models.collections.ambulances.findOne({ _id: 'P3' });
    assert.equal(stored?.last_position?.tracking_id.toHexString(), later.toHexString());
  });

  it('inserts a new episode, then updates it whole as it grows', async () => {
    const id = new Types.ObjectId();
    await record([], [[id, { episode: episode(id, 1, 95), isNew: true }]]);
    assert.equal((await models.collections.speedingEpisodes.findOne({ _id: id }))?.point_count, 1);
    await record([], [[id, { episode: episode(id, 4, 130), isNew: false }]]);
    const stored = await models.collections.speedingEpisodes.findOne({ _id: id });
    assert.equal(stored?.point_count, 4);
    assert.equal(stored?.max_speed, 130);
    assert.equal(stored?.max_state, 'RED');
  });

  it('updates a "new" episode that an earlier attempt already inserted (its answer was lost)', async () => {
    const id = new Types.ObjectId();
    const other = new Types.ObjectId();
    await models.collections.speedingEpisodes.insertOne(episode(id, 1, 85));
    await record(
      [],
      [
        [id, { episode: episode(id, 3, 110), isNew: true }],
        [other, { episode: episode(other, 1, 99), isNew: true }],
      ],
    );
    assert.equal((await models.collections.speedingEpisodes.findOne({ _id: id }))?.point_count, 3);
    assert.equal((await models.collections.speedingEpisodes.findOne({ _id: other }))?.max_speed, 99);
    assert.equal(await models.collections.speedingEpisodes.countDocuments({ _id: { $in: [id, other] } }), 2);
  });

  it('writes a round larger than one turn in several turns, all of it', async () => {
    const ambulances = Array.from({ length: 300 }, (_, n): [string, LastPositionDoc] => [
      `BULK${n}`,
      position(10_000 + n, n % 150),
    ]);
    const turnsBefore = lane.backgroundTurns;
    await record(ambulances);
    assert.ok(
      lane.backgroundTurns - turnsBefore > 1,
      `one round of 300 writes took ${lane.backgroundTurns - turnsBefore} turn(s)`,
    );
    const stored = await models.collections.ambulances.find({ _id: { $regex: /^BULK/ } }).toArray();
    assert.equal(stored.length, 300);
    for (const doc of stored) {
      const n = Number(String(doc._id).slice(4));
      assert.equal(doc.last_position?.count_datetime.getTime(), 10_000 + n);
    }
  });

  it('rewrites positions stored by earlier versions so that an older point cannot replace them', async () => {
    const trackingId = new Types.ObjectId();
    const episodeId = new Types.ObjectId();
    // The layout earlier versions wrote: tracking_id first, and the episode beside the position.
    await models.collections.ambulances.insertOne({
      _id: 'OLD1',
      last_position: {
        tracking_id: trackingId,
        location: { lat: 45, lon: -73.6 },
        speed: 90,
        heading: 10,
        state: 'ORANGE',
        count_datetime: new Date(9_000),
        speeding_episode_id: episodeId,
      },
      current_speeding_episode_id: episodeId,
    } as never);

    assert.equal(await migrateLastPositionLayout(models.collections.ambulances), 1);
    const migrated = await models.collections.ambulances.findOne({ _id: 'OLD1' });
    assert.deepEqual(Object.keys(migrated?.last_position ?? {}), [
      'count_datetime',
      'tracking_id',
      'location',
      'speed',
      'heading',
      'state',
      'speeding_episode_id',
    ]);
    assert.equal(migrated?.last_position?.tracking_id.toHexString(), trackingId.toHexString());
    assert.equal('current_speeding_episode_id' in (migrated ?? {}), false);
    assert.equal(await migrateLastPositionLayout(models.collections.ambulances), 0, 'nothing left to rewrite');

    await record([['OLD1', position(7_000, 20)]]);
    const after = await models.collections.ambulances.findOne({ _id: 'OLD1' });
    assert.equal(after?.last_position?.count_datetime.getTime(), 9_000);
    assert.equal(after?.last_position?.speed, 90);
  });
});

describe('ambulance projector rounds with a long interval (against FerretDB)', () => {
  let connection: mongoose.Connection;
  let models: Models;
  let projector: AmbulanceProjector;

  before(async () => {
    connection = await mongoose.createConnection(testEnv.mongoUri, { dbName: uniqueName('rounds') }).asPromise();
    models = createModels(connection);
    projector = new AmbulanceProjector(models, new WriteLane(), 3_600_000, pino({ level: 'silent' }));
  });

  after(async () => {
    projector.stop();
    await connection.dropDatabase();
    await connection.close();
  });

  const storedSpeed = async (id: string) =>
    (await models.collections.ambulances.findOne({ _id: id }))?.last_position?.speed;

  it('writes an ambulance it has not projected yet at once, and a known one at the next round', async () => {
    projector.record(new Map([['R1', position(1_000, 10)]]), new Map());
    await waitUntil(async () => (await storedSpeed('R1')) === 10, { message: 'the first ambulance projected' });
    // A round has run: the next one is an hour away, unless an ambulance new to this process reports.
    projector.record(new Map([['R1', position(2_000, 20)]]), new Map());
    projector.record(new Map([['R2', position(2_000, 30)]]), new Map());
    await waitUntil(async () => (await storedSpeed('R2')) === 30, { message: 'the new ambulance projected' });
    // That round took R1's newer position with it.
    assert.equal(await storedSpeed('R1'), 20);
    projector.record(new Map([['R1', position(3_000, 40)]]), new Map());
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await storedSpeed('R1'), 20, 'a known ambulance waits for the round');
    await projector.drained();
    assert.equal(await storedSpeed('R1'), 40, 'and is written when the projector is drained (shutdown)');
  });
});
