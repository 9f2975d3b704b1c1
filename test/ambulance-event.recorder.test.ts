import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose, { Types } from 'mongoose';
import pino from 'pino';
import { AmbulanceEventRecorder, blankEvent, docOfEvent } from '../src/dispatch/ambulance-event.recorder.js';
import type { EventPublisher } from '../src/events/event.publisher.js';
import { createModels, type Models } from '../src/models/models.js';
import { testEnv, uniqueName } from './helpers/test-env.js';

const eventFor = (ambulanceId: string) =>
  blankEvent({ id: new Types.ObjectId().toHexString(), ambulanceId, kind: 'CAME_ONLINE', at: new Date() });

/** The recorder's batched insert against FerretDB, including a batch that fails after storing part of itself. */
describe('ambulance event recorder', () => {
  let connection: mongoose.Connection;
  let models: Models;
  let recorder: AmbulanceEventRecorder;
  const published: string[] = [];
  const heard: string[] = [];
  const heardWithRepeats: string[] = [];

  before(async () => {
    connection = await mongoose.createConnection(testEnv.mongoUri, { dbName: uniqueName('recorder') }).asPromise();
    models = createModels(connection);
    const publisher = { publish: (_topic: string, _id: string, event: { id: string }) => published.push(event.id) };
    recorder = new AmbulanceEventRecorder(models, publisher as unknown as EventPublisher, pino({ level: 'silent' }));
    recorder.onRecorded((event) => {
      heard.push(event.id);
    });
    recorder.onRecorded(
      (event) => {
        heardWithRepeats.push(event.id);
      },
      { repeats: true },
    );
  });

  after(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('stores the events of one turn together; one stored before (another instance) is a duplicate', async () => {
    const before = eventFor('R1');
    await models.collections.ambulanceEvents.insertOne({ ...docOfEvent(before), recorded_at: new Date(0) });
    const fresh = [eventFor('R2'), eventFor('R3')];
    const results = await Promise.all([...fresh, before].map((event) => recorder.record(event)));
    assert.deepEqual(results, [true, true, false]);
    assert.deepEqual(
      published,
      fresh.map((event) => event.id),
    );
    assert.deepEqual(
      heard,
      fresh.map((event) => event.id),
    );
    // A listener that asks for repeats (the alert outbox) hears the duplicate too; nothing is published for it.
    assert.deepEqual(heardWithRepeats.sort(), [...fresh, before].map((event) => event.id).sort());
  });

  it('a batch that fails after storing part of itself: what it stored counts as stored, the rest is stored alone', async () => {
    published.length = 0;
    heard.length = 0;
    const events = models.collections.ambulanceEvents;
    const insertMany = events.insertMany.bind(events);
    // The first document reaches the database, then the connection fails (the reply is lost).
    events.insertMany = (async (docs: Parameters<typeof insertMany>[0]) => {
      await insertMany([...docs].slice(0, 1));
      throw Object.assign(new Error('connection reset'), { name: 'MongoNetworkError' });
    }) as typeof events.insertMany;
    try {
      const batch = [eventFor('R4'), eventFor('R5')];
      const results = await Promise.all(batch.map((event) => recorder.record(event)));
      assert.deepEqual(results, [true, true]);
      assert.deepEqual(published.sort(), batch.map((event) => event.id).sort());
      assert.equal(await events.countDocuments({ ambulance_id: { $in: ['R4', 'R5'] } }), 2);
    } finally {
      events.insertMany = insertMany;
    }
  });
});
