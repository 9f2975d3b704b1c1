import { ambulanceEventId } from '../domain/ambulance-event.id.js';
import type { AmbulanceEventRecord, UnitStatus } from '../domain/ambulance-event.js';
import type { VisitChange } from '../domain/place-visit.rules.js';
import { inferredBy, transitionOnEntering } from '../domain/unit-status.transitions.js';
import type { AmbulanceDoc } from '../models/ambulance.model.js';
import { fleetDocumentOf } from '../models/fleet.lookup.js';
import type { Models } from '../models/models.js';
import { isDuplicateKeyError } from '../models/storage.errors.js';
import type { WriteLane } from '../models/write.lane.js';
import { type AmbulanceEventRecorder, blankEvent } from './ambulance-event.recorder.js';

const MAX_ATTEMPTS = 5;

export const statusOf = (doc: AmbulanceDoc | null): UnitStatus => doc?.status ?? 'AVAILABLE';

interface StatusChange {
  readonly to: UnitStatus;
  readonly by: string | null;
  readonly note: string | null;
  readonly at: Date;
  /** What caused the change, part of the event id: the previous status and its time for changes by hand. */
  readonly cause: readonly string[];
}

/**
 * Each ambulance's dispatch status, on its fleet document. Every change compares and sets the previous status
 * and its time, so when two instances (or two dispatchers) change the same status at once exactly one change
 * is stored and announced as a STATUS_CHANGED event; the other is re-read and re-decided.
 */
export class UnitStatusService {
  constructor(
    private readonly models: Models,
    private readonly lane: WriteLane,
    private readonly recorder: AmbulanceEventRecorder,
  ) {}

  /** A status set by a dispatcher (`by`: the token subject). Setting the current status again changes nothing. */
  async setByHand(ambulanceId: string, to: UnitStatus, by: string | null, note: string | null): Promise<AmbulanceDoc> {
    return this.change(ambulanceId, 'urgent', () => ({ to, by, note, at: new Date(), cause: ['hand'] }));
  }

  /** Applies the transition table (src/domain/unit-status.transitions.ts) to a place the unit entered. */
  async entered(ambulanceId: string, visit: VisitChange): Promise<void> {
    // Derived off the request path, behind stored points: device writes go first.
    await this.change(ambulanceId, 'background', (current) => {
      const transition = transitionOnEntering(current, visit.place.kind);
      if (!transition) return null;
      return {
        to: transition.to,
        by: inferredBy(transition),
        note: `entered ${visit.place.name}`,
        at: visit.at,
        cause: ['visit', visit.place.id, visit.since.toISOString()],
      };
    });
  }

  private async change(
    ambulanceId: string,
    priority: 'urgent' | 'background',
    decide: (current: UnitStatus) => StatusChange | null,
  ): Promise<AmbulanceDoc> {
    for (let attempt = 1; ; attempt += 1) {
      const doc = await fleetDocumentOf(this.models.collections.ambulances, ambulanceId);
      const current = statusOf(doc);
      const change = decide(current);
      if (!change || change.to === current) return doc ?? { _id: ambulanceId };
      const since = doc?.status_since ?? null;
      const fields = { status: change.to, status_since: change.at, status_by: change.by };
      const stored = await this.lane.run(() => this.compareAndSet(ambulanceId, doc, fields), priority);
      if (stored) {
        await this.recorder.record(statusEvent(ambulanceId, current, change, since));
        return { ...(doc ?? { _id: ambulanceId }), ...fields };
      }
      if (attempt >= MAX_ATTEMPTS) throw new Error(`status of ambulance ${ambulanceId} kept changing; try again`);
    }
  }

  /** True when the status was still the one read (same value and time) and is now set. */
  private async compareAndSet(
    ambulanceId: string,
    doc: AmbulanceDoc | null,
    fields: Pick<AmbulanceDoc, 'status' | 'status_since' | 'status_by'>,
  ): Promise<boolean> {
    const ambulances = this.models.collections.ambulances;
    if (!doc) {
      try {
        await ambulances.insertOne({ _id: ambulanceId, ...fields, createdAt: new Date() });
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    }
    const { modifiedCount } = await ambulances.updateOne(
      {
        _id: doc._id,
        status: doc.status ?? { $exists: false },
        status_since: doc.status_since ?? { $exists: false },
      },
      { $set: fields },
    );
    return modifiedCount === 1;
  }
}

function statusEvent(
  ambulanceId: string,
  previous: UnitStatus,
  change: StatusChange,
  previousSince: Date | null,
): AmbulanceEventRecord {
  return blankEvent({
    id: ambulanceEventId(
      ambulanceId,
      'STATUS_CHANGED',
      previous,
      previousSince?.toISOString() ?? '-',
      change.to,
      ...change.cause,
    ),
    ambulanceId,
    kind: 'STATUS_CHANGED',
    at: change.at,
    status: change.to,
    previousStatus: previous,
    note: change.note,
    by: change.by,
  });
}
