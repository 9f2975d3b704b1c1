import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Types } from 'mongoose';
import { crashEventOf, snapshotEventOf, trackingEventOf } from '../events/event.mappers.js';
import type { CrashDoc } from '../models/crash.model.js';
import type { ImageRecordDoc } from '../models/image.model.js';
import type { TrackingDoc } from '../models/tracking.model.js';
import { Crash } from './crash.type.js';
import { Snapshot } from './snapshot.type.js';
import { SpeedState } from './speed-state.enum.js';
import { TrackingPoint } from './tracking-point.type.js';

const objectId = fc.uint8Array({ minLength: 12, maxLength: 12 }).map((bytes) => new Types.ObjectId(bytes));
const date = fc.date({
  min: new Date('1970-01-01T00:00:00Z'),
  max: new Date('2200-01-01T00:00:00Z'),
  noInvalidDate: true,
});
/** Values legacy and current documents hold in numeric fields. */
const storedNumber = fc.option(
  fc.oneof(fc.double(), fc.double({ noNaN: true }).map(String), fc.constantFrom('', 'north', '12.5')),
  { nil: undefined },
);
const storedState = fc.option(fc.constantFrom('GREEN', 'ORANGE', 'RED', 'orange', 'FAST'), { nil: undefined });
const ambulanceId = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), objectId);

/** The fields tracking points and crashes share, current and legacy. */
const positionFields = {
  _id: objectId,
  ambulance_id: ambulanceId,
  location: fc.record({ lat: fc.double({ noNaN: true }), lon: fc.double({ noNaN: true }) }),
  speed: storedNumber,
  heading: storedNumber,
  state: storedState,
  count_datetime: date,
  conflict: fc.boolean(),
};
const required: Array<keyof typeof positionFields> = ['_id', 'ambulance_id', 'location', 'count_datetime'];

const trackingDoc = fc.record(
  { ...positionFields, speeding_episode_id: objectId, speed_above_80: objectId, device_timestamp: date },
  { requiredKeys: required },
) as fc.Arbitrary<TrackingDoc>;

const crashDoc = fc.record(
  {
    ...positionFields,
    location_detail: fc.record({ image: fc.option(fc.webUrl(), { nil: undefined }) }),
    // What dispatchers did since: a crash replayed from the store carries it.
    acknowledged_at: date,
    acknowledged_by: fc.option(fc.string({ maxLength: 12 }), { nil: null }),
    acknowledge_note: fc.option(fc.string({ maxLength: 40 }), { nil: null }),
    escalated_at: date,
  },
  { requiredKeys: required },
) as fc.Arbitrary<CrashDoc>;

const imageRecordDoc = fc.record({
  _id: objectId,
  ambulance_id: ambulanceId,
  images: fc.dictionary(
    fc.string({ minLength: 1, maxLength: 8 }),
    fc.oneof(fc.string({ maxLength: 40 }), fc.constant(null)),
  ),
  createdAt: date,
}) as fc.Arbitrary<ImageRecordDoc>;

describe('history nodes are built from stored documents directly', () => {
  it('a tracking point from its document equals the one rebuilt from its event payload', () => {
    fc.assert(
      fc.property(trackingDoc, (doc) => {
        assert.deepEqual(TrackingPoint.fromDocument(doc), TrackingPoint.fromEvent(trackingEventOf(doc)));
      }),
    );
  });

  it('a crash from its document equals the one rebuilt from its event payload', () => {
    fc.assert(
      fc.property(crashDoc, (doc) => {
        assert.deepEqual(Crash.fromDocument(doc), Crash.fromEvent(crashEventOf(doc)));
      }),
    );
  });

  it('a snapshot from its document equals the one rebuilt from its event payload', () => {
    fc.assert(
      fc.property(imageRecordDoc, (doc) => {
        assert.deepEqual(Snapshot.fromDocument(doc), Snapshot.fromEvent(snapshotEventOf(doc)));
      }),
    );
  });

  it('keeps dates as the stored Date values and reads legacy fields', () => {
    const recorded = new Date('2024-03-05T10:20:30.456Z');
    const legacyAmbulance = new Types.ObjectId('5f1d7c0e9b1e8a3d4c2b1a09');
    const point = TrackingPoint.fromDocument({
      _id: new Types.ObjectId('65a1f0c2b3d4e5f6a7b8c9d0'),
      ambulance_id: legacyAmbulance,
      location: { lat: 45.5, lon: -73.6 },
      heading: '123.5',
      speed: 95,
      count_datetime: recorded,
    });
    assert.ok(point instanceof TrackingPoint);
    assert.equal(point.recordedAt.getTime(), recorded.getTime());
    assert.equal(point.ambulanceId, legacyAmbulance.toHexString());
    assert.equal(point.heading, 123.5);
    assert.equal(point.state, SpeedState.ORANGE);
    assert.equal(point.deviceTime, null);
    assert.equal(point.conflict, false);
  });
});
