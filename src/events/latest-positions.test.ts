import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrackingEvent } from './event.payloads.js';
import { isLaterPosition, LatestPositions } from './latest-positions.js';
import { LocalEventBus } from './local.event-bus.js';
import { Topics } from './topics.js';

function point(ambulanceId: string, recordedAt: string, id: string): TrackingEvent {
  return {
    id,
    ambulanceId,
    latitude: 1,
    longitude: 2,
    speed: 3,
    heading: 0,
    state: 'GREEN',
    recordedAt,
    speedingEpisodeId: null,
    deviceTime: null,
  };
}

const EARLY = '2026-01-01T00:00:00.000Z';
const LATE = '2026-01-01T00:00:01.000Z';

describe('latest positions', () => {
  it('orders positions by time, then by stored id', () => {
    assert.equal(isLaterPosition({ recordedAt: LATE, id: 'a' }, { recordedAt: EARLY, id: 'f' }), true);
    assert.equal(isLaterPosition({ recordedAt: EARLY, id: 'f' }, { recordedAt: LATE, id: 'a' }), false);
    assert.equal(isLaterPosition({ recordedAt: new Date(EARLY), id: 'b' }, { recordedAt: EARLY, id: 'a' }), true);
    assert.equal(isLaterPosition({ recordedAt: EARLY, id: 'a' }, { recordedAt: EARLY, id: 'a' }), false);
  });

  it('keeps the latest position of each ambulance from the bus, whatever order events arrive in', async () => {
    const bus = new LocalEventBus();
    const positions = new LatestPositions();
    await positions.follow(bus);
    await bus.publish(Topics.TrackingUpdated, 'A', point('A', LATE, '02'));
    await bus.publish(Topics.TrackingUpdated, 'A', point('A', EARLY, '03'));
    await bus.publish(Topics.TrackingUpdated, 'B', point('B', EARLY, '01'));
    assert.equal(positions.of('A')?.id, '02', 'a later reading stored earlier stays the latest');
    assert.equal(positions.of('B')?.id, '01');
    positions.stop();
    await bus.publish(Topics.TrackingUpdated, 'B', point('B', LATE, '04'));
    assert.equal(positions.of('B')?.id, '01', 'stopped: no longer follows the bus');
  });

  it('forgets the least recently updated ambulances past its bound', () => {
    const positions = new LatestPositions(2);
    positions.record(point('A', EARLY, '01'));
    positions.record(point('B', EARLY, '02'));
    positions.record(point('C', EARLY, '03'));
    assert.equal(positions.size, 2);
    assert.equal(positions.of('A'), undefined);
  });
});
