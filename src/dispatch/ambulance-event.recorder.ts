import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { AmbulanceEventRecord } from '../domain/ambulance-event.js';
import type { AmbulanceEventPayload } from '../events/event.payloads.js';
import type { EventPublisher } from '../events/event.publisher.js';
import { Topics } from '../events/topics.js';
import type { AmbulanceEventDoc } from '../models/ambulance-event.model.js';
import type { Models } from '../models/models.js';
import { isDuplicateKeyError } from '../models/storage.errors.js';
import { insertUnordered } from '../models/unordered.insert.js';

/** Hears a stored event; a returned promise is awaited before `record` resolves (a failure is logged). */
export type RecordedListener = (event: AmbulanceEventRecord) => void | Promise<void>;

interface PendingRecord {
  readonly event: AmbulanceEventRecord;
  readonly stored: (fresh: boolean) => void;
  readonly failed: (error: unknown) => void;
}

/**
 * Stores dispatch events in `ambulance_events`, then publishes them. An event's id comes from its cause, so
 * when two instances record the same change the second insert is a duplicate: it is not published again.
 * Listeners (`onRecorded`) hear each stored event once, and, when they ask for repeats, each time it is recorded
 * again (a device's repeated crash, another instance's duplicate): the alert outbox does, so an alert whose
 * enqueue was lost after its event was stored (the instance died in between) goes out at the next repeat.
 * Events recorded in one turn of the event loop are stored with one insert (a batch's SPEEDING_STARTED events).
 */
export class AmbulanceEventRecorder {
  /** Each listener, and whether it hears repeats too. */
  private readonly listeners = new Map<RecordedListener, boolean>();
  private pending: PendingRecord[] = [];

  constructor(
    private readonly models: Models,
    private readonly publisher: EventPublisher,
    private readonly logger: Logger,
  ) {}

  /**
   * Calls `listener` with every event this instance stored (after it is stored and published), and waits for it:
   * a CRASH_REPORTED listener (an alert outbox) has run before the device that reported the crash is answered.
   * Returns the unsubscribe.
   */
  onRecorded(listener: RecordedListener, options: { readonly repeats?: boolean } = {}): () => void {
    this.listeners.set(listener, options.repeats === true);
    return () => this.listeners.delete(listener);
  }

  /** Stores and publishes the event; false when it was stored already (by this or another instance). */
  async record(event: AmbulanceEventRecord): Promise<boolean> {
    const fresh = await new Promise<boolean>((stored, failed) => {
      if (this.pending.length === 0) setImmediate(() => this.storePending());
      this.pending.push({ event, stored, failed });
    });
    if (fresh) this.publisher.publish(Topics.AmbulanceEvent, event.ambulanceId, payloadOfEvent(event));
    for (const [listener, repeats] of this.listeners) {
      if (!fresh && !repeats) continue;
      try {
        await listener(event);
      } catch (error) {
        this.logger.error({ err: error, eventId: event.id }, 'ambulance event listener failed');
      }
    }
    return fresh;
  }

  /** One unordered insert for the turn's events; events stored already are duplicates, each alone. */
  private async storePending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const docs = batch.map(({ event }) => docOfEvent(event));
    let repeats: Set<number>;
    try {
      repeats = new Set(await insertUnordered(this.models.collections.ambulanceEvents, docs));
    } catch {
      // Some failed otherwise, and some may be stored: each on its own, so only those fail.
      batch.forEach((record, index) => {
        void this.storeOne(record, docs[index] as AmbulanceEventDoc);
      });
      return;
    }
    batch.forEach((record, index) => {
      record.stored(!repeats.has(index));
    });
  }

  /** After a failed batch: a duplicate that is this very document (same `recorded_at`) was stored by the batch. */
  private async storeOne({ stored, failed }: PendingRecord, doc: AmbulanceEventDoc): Promise<void> {
    const events = this.models.collections.ambulanceEvents;
    try {
      await events.insertOne(doc);
      stored(true);
    } catch (error) {
      if (!isDuplicateKeyError(error)) return failed(error);
      try {
        const held = await events.findOne({ _id: doc._id });
        stored(held?.recorded_at.getTime() === doc.recorded_at.getTime());
      } catch (lookupError) {
        failed(lookupError);
      }
    }
  }
}

export function docOfEvent(event: AmbulanceEventRecord): AmbulanceEventDoc {
  return {
    _id: new Types.ObjectId(event.id),
    ambulance_id: event.ambulanceId,
    kind: event.kind,
    at: event.at,
    place: event.place ? { ...event.place } : null,
    status: event.status,
    previous_status: event.previousStatus,
    crash_id: event.crashId,
    note: event.note,
    by: event.by,
    recorded_at: new Date(),
  };
}

export function eventOfDoc(doc: AmbulanceEventDoc): AmbulanceEventRecord {
  return {
    id: doc._id.toHexString(),
    ambulanceId: doc.ambulance_id,
    kind: doc.kind,
    at: doc.at,
    place: doc.place?.id ? { id: doc.place.id, name: doc.place.name, kind: doc.place.kind } : null,
    status: doc.status ?? null,
    previousStatus: doc.previous_status ?? null,
    crashId: doc.crash_id ?? null,
    note: doc.note ?? null,
    by: doc.by ?? null,
  };
}

export function payloadOfEvent(event: AmbulanceEventRecord): AmbulanceEventPayload {
  return { ...event, at: event.at.toISOString() };
}

/** An event with every optional part empty, for the recorders of each kind to fill in. */
export function blankEvent(
  fields: Pick<AmbulanceEventRecord, 'id' | 'ambulanceId' | 'kind' | 'at'> & Partial<AmbulanceEventRecord>,
): AmbulanceEventRecord {
  return { place: null, status: null, previousStatus: null, crashId: null, note: null, by: null, ...fields };
}
