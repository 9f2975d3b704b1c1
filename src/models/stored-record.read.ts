import type { Types } from 'mongoose';
import { isSpeedStateName, type SpeedStateName, speedStateOf } from '../domain/speed.state.js';
import { ambulanceIdToString } from './ambulance-id.filter.js';
import type { CrashDoc } from './crash.model.js';
import type { ImageRecordDoc } from './image.model.js';
import type { TrackingDoc } from './tracking.model.js';

/**
 * Stored documents, current and legacy, read into one plain shape: what the GraphQL types are built from
 * (history) and what the event payloads serialise (live).
 */
export interface PositionRecord {
  readonly id: string;
  readonly ambulanceId: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly speed: number | null;
  readonly heading: number | null;
  readonly state: SpeedStateName;
  readonly recordedAt: Date;
  /** Another report contradicts this one (see `conflict` on the stored documents); false for legacy documents. */
  readonly conflict: boolean;
  /** Position in the topic's log (src/models/stream.positions.ts); null for documents stored before it. */
  readonly seq: number | null;
}

export interface TrackingRecord extends PositionRecord {
  readonly speedingEpisodeId: string | null;
  readonly deviceTime: Date | null;
}

export interface CrashRecord extends PositionRecord {
  readonly mapImageUrl: string | null;
}

export interface SnapshotRecord {
  readonly id: string;
  readonly ambulanceId: string;
  readonly images: ReadonlyArray<{ readonly name: string; readonly url: string }>;
  readonly createdAt: Date;
  readonly seq: number | null;
}

/** Legacy documents store heading as a string and may lack speed or state. */
function toNumberOrNull(value: unknown): number | null {
  const number = typeof value === 'string' ? Number.parseFloat(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
}

function stateOf(stored: unknown, speed: number | null): SpeedStateName {
  if (isSpeedStateName(stored)) return stored;
  return speedStateOf(speed ?? 0);
}

const seqOf = (seq: unknown): number | null => (typeof seq === 'number' && Number.isSafeInteger(seq) ? seq : null);

const idOrNull = (id: Types.ObjectId | null | undefined) => (id ? id.toHexString() : null);

function positionRecordOf(doc: TrackingDoc | CrashDoc): PositionRecord {
  const speed = toNumberOrNull(doc.speed);
  return {
    id: doc._id.toHexString(),
    ambulanceId: ambulanceIdToString(doc.ambulance_id),
    latitude: doc.location.lat,
    longitude: doc.location.lon,
    speed,
    heading: toNumberOrNull(doc.heading),
    state: stateOf(doc.state, speed),
    recordedAt: doc.count_datetime,
    conflict: doc.conflict === true,
    seq: seqOf(doc.seq),
  };
}

export function trackingRecordOf(doc: TrackingDoc): TrackingRecord {
  return {
    ...positionRecordOf(doc),
    speedingEpisodeId: idOrNull(doc.speeding_episode_id ?? doc.speed_above_80),
    deviceTime: doc.device_timestamp ?? null,
  };
}

export function crashRecordOf(doc: CrashDoc): CrashRecord {
  return { ...positionRecordOf(doc), mapImageUrl: doc.location_detail?.image ?? null };
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

export function snapshotRecordOf(doc: ImageRecordDoc): SnapshotRecord {
  const images = Object.entries(doc.images ?? {})
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([name, storedPath]) => ({ name, url: imageUrlOf(storedPath) }));
  return {
    id: doc._id.toHexString(),
    ambulanceId: ambulanceIdToString(doc.ambulance_id),
    images,
    createdAt: doc.createdAt,
    seq: seqOf(doc.seq),
  };
}
