import type { CrashDoc } from '../models/crash.model.js';
import type { ImageRecordDoc } from '../models/image.model.js';
import { crashRecordOf, snapshotRecordOf, trackingRecordOf } from '../models/stored-record.read.js';
import type { TrackingDoc } from '../models/tracking.model.js';
import type { CrashEvent, SnapshotEvent, TrackingEvent } from './event.payloads.js';

const conflictMark = (conflict: boolean) => (conflict ? { conflict: true as const } : {});
const seqMark = (seq: number | null) => (seq === null ? {} : { seq });

export function trackingEventOf(doc: TrackingDoc): TrackingEvent {
  const { conflict, seq, ...record } = trackingRecordOf(doc);
  return {
    ...record,
    recordedAt: record.recordedAt.toISOString(),
    deviceTime: record.deviceTime ? record.deviceTime.toISOString() : null,
    ...conflictMark(conflict),
    ...seqMark(seq),
  };
}

export function crashEventOf(doc: CrashDoc): CrashEvent {
  const { conflict, seq, ...record } = crashRecordOf(doc);
  return { ...record, recordedAt: record.recordedAt.toISOString(), ...conflictMark(conflict), ...seqMark(seq) };
}

export function snapshotEventOf(doc: ImageRecordDoc): SnapshotEvent {
  const { seq, ...record } = snapshotRecordOf(doc);
  return { ...record, createdAt: record.createdAt.toISOString(), ...seqMark(seq) };
}
