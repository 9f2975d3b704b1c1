import type { SpeedStateName } from '../domain/speed.state.js';

/**
 * Plain JSON event payloads: what crosses Redis. Dates are ISO strings, ids are strings.
 * Speed and heading are null only for legacy documents that lack them.
 */
export interface TrackingEvent {
  readonly id: string;
  readonly ambulanceId: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly speed: number | null;
  readonly heading: number | null;
  readonly state: SpeedStateName;
  readonly recordedAt: string;
  readonly speedingEpisodeId: string | null;
  /** When the device took the reading, if it said so. */
  readonly deviceTime: string | null;
}

export interface CrashEvent {
  readonly id: string;
  readonly ambulanceId: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly speed: number | null;
  readonly heading: number | null;
  readonly state: SpeedStateName;
  readonly recordedAt: string;
  readonly mapImageUrl: string | null;
}

export interface SnapshotEvent {
  readonly id: string;
  readonly ambulanceId: string;
  readonly images: ReadonlyArray<{ readonly name: string; readonly url: string }>;
  readonly createdAt: string;
}
