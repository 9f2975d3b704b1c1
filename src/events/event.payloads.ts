import type { CrashRecord, SnapshotRecord, TrackingRecord } from '../models/stored-record.read.js';

/**
 * Plain JSON event payloads: what crosses Redis. They are the stored records with dates as ISO strings
 * (ids are strings already). Speed and heading are null only for legacy documents that lack them.
 */
export type TrackingEvent = Omit<TrackingRecord, 'recordedAt' | 'deviceTime'> & {
  readonly recordedAt: string;
  /** When the device took the reading, if it said so. */
  readonly deviceTime: string | null;
};

export type CrashEvent = Omit<CrashRecord, 'recordedAt'> & { readonly recordedAt: string };

export type SnapshotEvent = Omit<SnapshotRecord, 'createdAt'> & { readonly createdAt: string };
