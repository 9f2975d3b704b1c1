import type { CrashDoc } from '../models/crash.model.js';
import type { ImageRecordDoc } from '../models/image.model.js';
import { crashRecordOf, snapshotRecordOf, trackingRecordOf } from '../models/stored-record.read.js';
import type { TrackingDoc } from '../models/tracking.model.js';
import type { CrashEvent, CrashHandling, SnapshotEvent, TrackingEvent } from './event.payloads.js';

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
  return {
    ...record,
    recordedAt: record.recordedAt.toISOString(),
    ...conflictMark(conflict),
    ...seqMark(seq),
    ...crashHandlingOf(doc),
  };
}

function crashHandlingOf(doc: CrashDoc): CrashHandling {
  return {
    ...(doc.acknowledged_at ? { acknowledgedAt: doc.acknowledged_at.toISOString() } : {}),
    ...(doc.acknowledged_by != null ? { acknowledgedBy: doc.acknowledged_by } : {}),
    ...(doc.acknowledge_note != null ? { acknowledgeNote: doc.acknowledge_note } : {}),
    ...(doc.escalated_at ? { escalatedAt: doc.escalated_at.toISOString() } : {}),
  };
}

export function snapshotEventOf(doc: ImageRecordDoc): SnapshotEvent {
  const { seq, ...record } = snapshotRecordOf(doc);
  return { ...record, createdAt: record.createdAt.toISOString(), ...seqMark(seq) };
}
