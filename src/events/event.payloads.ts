import type { AmbulanceEventRecord } from '../domain/ambulance-event.js';
import type { CrashRecord, SnapshotRecord, TrackingRecord } from '../models/stored-record.read.js';

/**
 * Plain JSON event payloads: what crosses Redis. They are the stored records with dates as ISO strings
 * (ids are strings already). Speed and heading are null only for legacy documents that lack them.
 * `conflict` is present only when true, so the payloads of all other reports are what earlier versions sent.
 * `seq` is the record's position in its topic's log (src/models/stream.positions.ts); instances of earlier
 * versions published without it.
 */
interface Sequenced {
  readonly seq?: number;
}

export type TrackingEvent = Omit<TrackingRecord, 'recordedAt' | 'deviceTime' | 'conflict' | 'seq'> &
  Sequenced & {
    readonly recordedAt: string;
    /** When the device took the reading, if it said so. */
    readonly deviceTime: string | null;
    readonly conflict?: true;
  };

export type CrashEvent = Omit<CrashRecord, 'recordedAt' | 'conflict' | 'seq'> &
  Sequenced & {
    readonly recordedAt: string;
    readonly conflict?: true;
  } & CrashHandling;

/**
 * What dispatchers did about a crash. A crash announced live has none of it yet; one read back from the store
 * (a resumed subscription's replay) carries what happened since, so a dashboard that was away does not raise
 * an alert another dispatcher has taken.
 */
export interface CrashHandling {
  readonly acknowledgedAt?: string;
  readonly acknowledgedBy?: string;
  readonly acknowledgeNote?: string;
  readonly escalatedAt?: string;
}

export type SnapshotEvent = Omit<SnapshotRecord, 'createdAt' | 'seq'> & Sequenced & { readonly createdAt: string };

/** A dispatch event (src/domain/ambulance-event.ts) as it crosses Redis. */
export type AmbulanceEventPayload = Omit<AmbulanceEventRecord, 'at'> & { readonly at: string };
