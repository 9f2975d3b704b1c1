import type { Types } from 'mongoose';
import { isSpeedStateName, type SpeedStateName, speedStateOf } from '../domain/speed.state.js';
import { ambulanceIdToString } from '../models/ambulance-id.filter.js';
import type { CrashDoc } from '../models/crash.model.js';
import type { ImageRecordDoc } from '../models/image.model.js';
import type { TrackingDoc } from '../models/tracking.model.js';
import type { CrashEvent, SnapshotEvent, TrackingEvent } from './event.payloads.js';

/** Legacy documents store heading as a string and may lack speed or state. */
function toNumberOrNull(value: unknown): number | null {
  const number = typeof value === 'string' ? Number.parseFloat(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
}

function stateOf(stored: unknown, speed: number | null): SpeedStateName {
  if (isSpeedStateName(stored)) return stored;
  return speedStateOf(speed ?? 0);
}

const idOrNull = (id: Types.ObjectId | null | undefined) => (id ? id.toHexString() : null);

export function trackingEventOf(doc: TrackingDoc): TrackingEvent {
  const speed = toNumberOrNull(doc.speed);
  return {
    id: doc._id.toHexString(),
    ambulanceId: ambulanceIdToString(doc.ambulance_id),
    latitude: doc.location.lat,
    longitude: doc.location.lon,
    speed,
    heading: toNumberOrNull(doc.heading),
    state: stateOf(doc.state, speed),
    recordedAt: doc.count_datetime.toISOString(),
    speedingEpisodeId: idOrNull(doc.speeding_episode_id ?? doc.speed_above_80),
    deviceTime: doc.device_timestamp ? doc.device_timestamp.toISOString() : null,
  };
}

export function crashEventOf(doc: CrashDoc): CrashEvent {
  const speed = toNumberOrNull(doc.speed);
  return {
    id: doc._id.toHexString(),
    ambulanceId: ambulanceIdToString(doc.ambulance_id),
    latitude: doc.location.lat,
    longitude: doc.location.lon,
    speed,
    heading: toNumberOrNull(doc.heading),
    state: stateOf(doc.state, speed),
    recordedAt: doc.count_datetime.toISOString(),
    mapImageUrl: doc.location_detail?.image ?? null,
  };
}

/**
 * Public URL of a stored image. Legacy records hold paths such as `uploads/ambulance_images/...`
 * (sometimes absolute); everything from `ambulance_images/` on is served under /uploads.
 */
export function imageUrlOf(storedPath: string): string {
  const normalized = storedPath.replaceAll('\\', '/');
  const index = normalized.indexOf('ambulance_images/');
  const relative = index >= 0 ? normalized.slice(index) : normalized.replace(/^\/+/, '');
  return `/uploads/${relative.split('/').map(encodeURIComponent).join('/')}`;
}

export function snapshotEventOf(doc: ImageRecordDoc): SnapshotEvent {
  const images = Object.entries(doc.images ?? {})
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([name, storedPath]) => ({ name, url: imageUrlOf(storedPath) }));
  return {
    id: doc._id.toHexString(),
    ambulanceId: ambulanceIdToString(doc.ambulance_id),
    images,
    createdAt: doc.createdAt.toISOString(),
  };
}
