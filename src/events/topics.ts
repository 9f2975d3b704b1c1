import type { AmbulanceEventPayload, CrashEvent, SnapshotEvent, TrackingEvent } from './event.payloads.js';

/** Every event channel, with the payload it carries. Publishers and subscribers name topics only through this map. */
export interface TopicPayloads {
  TRACKING_UPDATED: TrackingEvent;
  CRASH_REPORTED: CrashEvent;
  SNAPSHOT_UPLOADED: SnapshotEvent;
  AMBULANCE_EVENT: AmbulanceEventPayload;
}

export type Topic = keyof TopicPayloads;

/** The topics of stored items kept in a commit-ordered log (src/streams): their subscriptions can resume. */
export type LoggedTopic = 'TRACKING_UPDATED' | 'CRASH_REPORTED' | 'SNAPSHOT_UPLOADED';

export const Topics = {
  TrackingUpdated: 'TRACKING_UPDATED',
  CrashReported: 'CRASH_REPORTED',
  SnapshotUploaded: 'SNAPSHOT_UPLOADED',
  AmbulanceEvent: 'AMBULANCE_EVENT',
} as const satisfies Record<string, Topic>;

/**
 * Each event is published once, on its ambulance's channel. A per-ambulance subscription listens to
 * that channel; a fleet-wide one to the topic's pattern. Ambulance ids are restricted to
 * [A-Za-z0-9_-], so they never contain pattern characters.
 */
export function ambulanceChannel(prefix: string, topic: Topic, ambulanceId: string): string {
  return `${prefix}${topic}.${ambulanceId}`;
}

export function fleetPattern(prefix: string, topic: Topic): string {
  return `${prefix}${topic}.*`;
}
