import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Types } from 'mongoose';
import type { CrashDoc } from '../models/crash.model.js';
import type { ImageRecordDoc } from '../models/image.model.js';
import type { TrackingDoc } from '../models/tracking.model.js';
import { crashEventOf, snapshotEventOf, trackingEventOf } from './event.mappers.js';

const TRACKING_ID = new Types.ObjectId('65a1f0c2b3d4e5f6a7b8c9d0');
const LEGACY_AMBULANCE = new Types.ObjectId('5f1d7c0e9b1e8a3d4c2b1a09');
const EPISODE = new Types.ObjectId('65a1f0c2b3d4e5f6a7b8c9e1');
const LEGACY_EPISODE = new Types.ObjectId('65a1f0c2b3d4e5f6a7b8c9e2');
const RECORDED = new Date('2024-03-05T10:20:30.456Z');

function trackingDoc(overrides: Partial<TrackingDoc> = {}): TrackingDoc {
  return {
    _id: TRACKING_ID,
    ambulance_id: '332',
    location: { lat: 45.5, lon: -73.6 },
    count_datetime: RECORDED,
    ...overrides,
  } as TrackingDoc;
}

describe('trackingEventOf', () => {
  it('maps a current document', () => {
    const event = trackingEventOf(
      trackingDoc({ speed: 95, heading: 180, state: 'ORANGE', speeding_episode_id: EPISODE }),
    );
    assert.deepEqual(event, {
      id: TRACKING_ID.toHexString(),
      ambulanceId: '332',
      latitude: 45.5,
      longitude: -73.6,
      speed: 95,
      heading: 180,
      state: 'ORANGE',
      recordedAt: '2024-03-05T10:20:30.456Z',
      speedingEpisodeId: EPISODE.toHexString(),
      deviceTime: null,
    });
    const stamped = trackingEventOf(trackingDoc({ device_timestamp: new Date('2024-03-05T10:20:29.001Z') }));
    assert.equal(stamped.deviceTime, '2024-03-05T10:20:29.001Z');
  });

  it('maps a legacy document: ObjectId ambulance id, string heading, no speed, no state', () => {
    const event = trackingEventOf(trackingDoc({ ambulance_id: LEGACY_AMBULANCE, heading: '123.5' }));
    assert.equal(event.ambulanceId, '5f1d7c0e9b1e8a3d4c2b1a09');
    assert.equal(event.heading, 123.5);
    assert.equal(event.speed, null);
    assert.equal(event.state, 'GREEN');
    assert.equal(event.speedingEpisodeId, null);
  });

  it('uses the stored state when speed is missing', () => {
    assert.equal(trackingEventOf(trackingDoc({ state: 'RED' })).state, 'RED');
    assert.equal(trackingEventOf(trackingDoc({ state: 'ORANGE' })).speed, null);
  });

  it('derives the state from the speed when the stored state is missing or unknown', () => {
    assert.equal(trackingEventOf(trackingDoc({ speed: 130 })).state, 'RED');
    assert.equal(trackingEventOf(trackingDoc({ speed: 100, state: 'orange' })).state, 'ORANGE');
    assert.equal(trackingEventOf(trackingDoc({ speed: 10, state: 'FAST' })).state, 'GREEN');
  });

  it('turns unreadable headings and speeds into null', () => {
    const event = trackingEventOf(trackingDoc({ heading: 'north', speed: Number.NaN }));
    assert.equal(event.heading, null);
    assert.equal(event.speed, null);
    assert.equal(trackingEventOf(trackingDoc({ heading: '' })).heading, null);
  });

  it('uses the legacy speed_above_80 as the episode id when speeding_episode_id is missing', () => {
    const legacy = trackingEventOf(trackingDoc({ speed: 90, speed_above_80: LEGACY_EPISODE }));
    assert.equal(legacy.speedingEpisodeId, LEGACY_EPISODE.toHexString());
    const both = trackingEventOf(trackingDoc({ speeding_episode_id: EPISODE, speed_above_80: LEGACY_EPISODE }));
    assert.equal(both.speedingEpisodeId, EPISODE.toHexString());
  });

  it('produces a plain JSON payload that survives serialisation', () => {
    const event = trackingEventOf(trackingDoc({ ambulance_id: LEGACY_AMBULANCE, speed: 90, speed_above_80: EPISODE }));
    assert.deepEqual(JSON.parse(JSON.stringify(event)), event);
  });
});

describe('crashEventOf', () => {
  it('maps a crash, with and without a map image', () => {
    const base = {
      _id: TRACKING_ID,
      ambulance_id: LEGACY_AMBULANCE,
      location: { lat: 1.5, lon: 2.5 },
      count_datetime: RECORDED,
      speed: 130,
      heading: '90',
    };
    const withMap = crashEventOf({ ...base, location_detail: { image: 'https://maps/x.png' } } as unknown as CrashDoc);
    assert.equal(withMap.ambulanceId, LEGACY_AMBULANCE.toHexString());
    assert.equal(withMap.state, 'RED');
    assert.equal(withMap.heading, 90);
    assert.equal(withMap.mapImageUrl, 'https://maps/x.png');
    assert.equal(crashEventOf(base as unknown as CrashDoc).mapImageUrl, null);
  });
});

describe('snapshotEventOf', () => {
  const snapshot = (images: Record<string, unknown>): ImageRecordDoc =>
    ({
      _id: TRACKING_ID,
      ambulance_id: LEGACY_AMBULANCE,
      images,
      createdAt: RECORDED,
    }) as ImageRecordDoc;

  it('sorts images numerically and maps their URLs', () => {
    const event = snapshotEventOf(
      snapshot({
        image10: 'uploads/ambulance_images/332/10.jpg',
        image2: 'uploads/ambulance_images/332/2.jpg',
        image0: 'uploads/ambulance_images/332/0.jpg',
        image1: 'uploads/ambulance_images/332/1.jpg',
      }),
    );
    assert.deepEqual(
      event.images.map((image) => image.name),
      ['image0', 'image1', 'image2', 'image10'],
    );
    assert.equal(event.images[3]?.url, '/uploads/ambulance_images/332/10.jpg');
    assert.equal(event.id, TRACKING_ID.toHexString());
    assert.equal(event.ambulanceId, LEGACY_AMBULANCE.toHexString());
    assert.equal(event.createdAt, '2024-03-05T10:20:30.456Z');
  });

  it('skips entries that are not paths and tolerates missing images', () => {
    const event = snapshotEventOf(snapshot({ image0: 'a/ambulance_images/x.jpg', image1: null, image2: 5 }));
    assert.deepEqual(event.images, [{ name: 'image0', url: '/uploads/ambulance_images/x.jpg' }]);
    const empty = snapshotEventOf({ ...snapshot({}), images: undefined } as unknown as ImageRecordDoc);
    assert.deepEqual(empty.images, []);
  });
});
