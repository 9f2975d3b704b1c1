/**
 * A dispatcher's afternoon for the browser tests: six ambulances moving (GREEN, ORANGE and RED up to 142 km/h)
 * with a few minutes of track each, one gone stale seven minutes ago, a crash of a moving unit, a unit that
 * has only reported a crash, and a snapshot.
 */
import assert from 'node:assert/strict';
import { ENDPOINTS, postFields, postImages, TINY_PNG } from './http.client.js';
import type { TestApp } from './test-app.js';

export interface Scenario {
  readonly moving: readonly string[];
  readonly stale: string;
  readonly crashed: string;
  readonly crashOnly: string;
  readonly crashedAt: { readonly latitude: number; readonly longitude: number; readonly kmh: number };
  readonly crashOnlyAt: { readonly latitude: number; readonly longitude: number };
}

const MOVING = [
  { suffix: '101', latitude: 45.5017, longitude: -73.5673, speeds: [38, 41, 44, 42, 40] },
  { suffix: '102', latitude: 45.5231, longitude: -73.5817, speeds: [70, 84, 92, 96, 88] },
  { suffix: '103', latitude: 45.4862, longitude: -73.6104, speeds: [110, 124, 138, 142, 131] },
  { suffix: '104', latitude: 45.5402, longitude: -73.6301, speeds: [22, 30, 35, 28, 31] },
  { suffix: '105', latitude: 45.4701, longitude: -73.5502, speeds: [60, 75, 83, 86, 82] },
  { suffix: '106', latitude: 45.5105, longitude: -73.6652, speeds: [99, 112, 121, 127, 125] },
];

async function post(app: TestApp, endpoint: 'tracking' | 'crash', fields: Record<string, unknown>) {
  const result = await postFields(`${app.url}${ENDPOINTS[endpoint]}`, fields);
  assert.equal(result.status, 200, result.text);
}

export async function seedScenario(app: TestApp, prefix: string): Promise<Scenario> {
  const id = (suffix: string) => `${prefix}-${suffix}`;
  const now = Date.now();
  for (const unit of MOVING) {
    for (const [index, speed] of unit.speeds.entries()) {
      await post(app, 'tracking', {
        ambulance_id: id(unit.suffix),
        tracking_latitude: unit.latitude + index * 0.0015,
        tracking_longitude: unit.longitude + index * 0.002,
        tracking_speed: speed,
        tracking_heading: 60,
      });
    }
  }
  await post(app, 'tracking', {
    ambulance_id: id('107'),
    tracking_latitude: 45.5301,
    tracking_longitude: -73.5402,
    tracking_speed: 35,
    tracking_heading: 0,
  });
  await app.app.trackingWriter.drained();
  // The server stamps reports on arrival: a unit that went quiet seven minutes ago is made by ageing its stored
  // report and the copy on its fleet document.
  const quietSince = new Date(now - 7 * 60_000 - 5_000);
  const { collections } = app.app.models;
  const aged = await collections.trackings.updateMany(
    { ambulance_id: id('107') },
    { $set: { count_datetime: quietSince } },
  );
  const agedFleet = await collections.ambulances.updateOne(
    { _id: id('107') },
    { $set: { 'last_position.count_datetime': quietSince } },
  );
  assert.equal(aged.modifiedCount + agedFleet.modifiedCount, 2);
  // The server's memory of the live report goes too, as after the seven minutes without reports.
  app.app.latestPositions.forget(id('107'));
  const crashedAt = { latitude: 45.5291, longitude: -73.5737, kmh: 59 };
  // Crash speeds arrive in m/s.
  await post(app, 'crash', {
    ambulance_id: id('102'),
    tracking_latitude: crashedAt.latitude,
    tracking_longitude: crashedAt.longitude,
    tracking_speed: crashedAt.kmh / 3.6,
    tracking_heading: 90,
  });
  const crashOnlyAt = { latitude: 45.4955, longitude: -73.5901 };
  await post(app, 'crash', {
    ambulance_id: id('108'),
    tracking_latitude: crashOnlyAt.latitude,
    tracking_longitude: crashOnlyAt.longitude,
    tracking_speed: 0,
    tracking_heading: 0,
  });
  const upload = await postImages(app.url, id('103'), [{ field: 'camera', data: TINY_PNG }]);
  assert.equal(upload.status, 200, upload.text);
  return {
    moving: MOVING.map((unit) => id(unit.suffix)),
    stale: id('107'),
    crashed: id('102'),
    crashOnly: id('108'),
    crashedAt,
    crashOnlyAt,
  };
}
