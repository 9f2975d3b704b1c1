import { Field, Float, ID, ObjectType } from 'type-graphql';
import type { TrackingEvent } from '../events/event.payloads.js';
import { type TrackingRecord, trackingRecordOf } from '../models/stored-record.read.js';
import type { TrackingDoc } from '../models/tracking.model.js';
import { Connection } from './connection.type.js';
import { CURSOR_DESCRIPTION, itemCursor, resumePosition } from './item.cursor.js';
import { SpeedState } from './speed-state.enum.js';

@ObjectType({ description: 'One stored position report of an ambulance.' })
export class TrackingPoint {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: CURSOR_DESCRIPTION })
  cursor!: string;

  @Field(() => ID)
  ambulanceId!: string;

  @Field(() => Float)
  latitude!: number;

  @Field(() => Float)
  longitude!: number;

  @Field(() => Float, { nullable: true, description: 'km/h. Null only for legacy records without a speed.' })
  speed!: number | null;

  @Field(() => Float, { nullable: true, description: 'Degrees, 0-360. Null only for legacy records without one.' })
  heading!: number | null;

  @Field(() => SpeedState)
  state!: SpeedState;

  @Field(() => Date, { description: 'When the server received the point (history is ordered by this time).' })
  recordedAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description:
      'When the device took the reading, when it sent its own time (`tracking_timestamp` or `timestamp`). ' +
      'A point with the same ambulance, device time and reading is stored once.',
  })
  deviceTime!: Date | null;

  @Field(() => Boolean, {
    description:
      'True when another report claims the same ambulance and device time with a different position, speed or ' +
      'heading: both are kept and marked, since either may be forged. False for every other point.',
  })
  conflict!: boolean;

  @Field(() => ID, {
    nullable: true,
    description: 'The speeding episode (consecutive ORANGE/RED points) this point belongs to; null when GREEN.',
  })
  speedingEpisodeId!: string | null;

  /** A stored point (history, latest position). */
  static fromDocument(doc: TrackingDoc): TrackingPoint {
    const record = trackingRecordOf(doc);
    return TrackingPoint.fromRecord({ ...record, seq: resumePosition(record.seq, doc.settled_seq) });
  }

  /** A point announced live: rebuilt from the event payload that crossed Redis. */
  static fromEvent(event: TrackingEvent): TrackingPoint {
    return TrackingPoint.fromRecord({
      ...event,
      recordedAt: new Date(event.recordedAt),
      deviceTime: event.deviceTime ? new Date(event.deviceTime) : null,
      conflict: event.conflict === true,
      seq: event.seq ?? null,
    });
  }

  private static fromRecord(record: TrackingRecord): TrackingPoint {
    return Object.assign(new TrackingPoint(), {
      ...record,
      state: SpeedState[record.state],
      cursor: itemCursor(record.recordedAt, record.id, record.seq),
    });
  }
}

@ObjectType()
export class TrackingPointConnection extends Connection(TrackingPoint, 'TrackingPoint') {}
