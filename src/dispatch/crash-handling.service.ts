import { Types } from 'mongoose';
import { ambulanceEventId } from '../domain/ambulance-event.id.js';
import { ambulanceIdToString } from '../models/ambulance-id.filter.js';
import type { CrashDoc } from '../models/crash.model.js';
import type { Models } from '../models/models.js';
import type { WriteLane } from '../models/write.lane.js';
import { type AmbulanceEventRecorder, blankEvent } from './ambulance-event.recorder.js';

/**
 * Crashes in the dispatch log: CRASH_REPORTED when one is stored, and the shared acknowledgement. The first
 * dispatcher to acknowledge a crash sets `acknowledged_at`/`acknowledged_by` (compare-and-set on their absence);
 * later acknowledgements, on any instance, leave it as it is and announce nothing.
 */
export class CrashHandling {
  constructor(
    private readonly models: Models,
    private readonly lane: WriteLane,
    private readonly recorder: AmbulanceEventRecorder,
  ) {}

  async reported(crash: { readonly id: string; readonly ambulanceId: string; readonly recordedAt: string }) {
    await this.recorder.record(
      blankEvent({
        id: ambulanceEventId(crash.id, 'CRASH_REPORTED'),
        ambulanceId: crash.ambulanceId,
        kind: 'CRASH_REPORTED',
        at: new Date(crash.recordedAt),
        crashId: crash.id,
      }),
    );
  }

  /** The crash as stored after the acknowledgement (the first one's, if it was acknowledged before); null if none. */
  async acknowledge(crashId: Types.ObjectId, by: string | null, note: string | null): Promise<CrashDoc | null> {
    const crashes = this.models.collections.crashes;
    const at = new Date();
    const acknowledged = await this.lane.run(() =>
      crashes.findOneAndUpdate(
        { _id: crashId, acknowledged_at: { $exists: false } },
        { $set: { acknowledged_at: at, acknowledged_by: by, acknowledge_note: note } },
        { returnDocument: 'after' },
      ),
    );
    if (!acknowledged) return crashes.findOne({ _id: crashId });
    await this.recorder.record(
      blankEvent({
        id: ambulanceEventId(crashId.toHexString(), 'CRASH_ACKNOWLEDGED'),
        ambulanceId: ambulanceIdToString(acknowledged.ambulance_id),
        kind: 'CRASH_ACKNOWLEDGED',
        at,
        crashId: crashId.toHexString(),
        note,
        by,
      }),
    );
    return acknowledged;
  }
}
