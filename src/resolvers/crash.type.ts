import { Field, Float, ID, ObjectType } from 'type-graphql';
import type { CrashEvent } from '../events/event.payloads.js';
import type { CrashDoc } from '../models/crash.model.js';
import { type CrashRecord, crashRecordOf } from '../models/stored-record.read.js';
import { Connection } from './connection.type.js';
import { CURSOR_DESCRIPTION, itemCursor, resumePosition } from './item.cursor.js';
import { SpeedState } from './speed-state.enum.js';

@ObjectType({ description: 'A crash notification from an ambulance crash sensor.' })
export class Crash {
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

  @Field(() => Float, { nullable: true, description: 'km/h (devices report m/s; converted on arrival).' })
  speed!: number | null;

  @Field(() => Float, { nullable: true })
  heading!: number | null;

  @Field(() => SpeedState)
  state!: SpeedState;

  @Field(() => Date)
  recordedAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: 'Static map image of the location, when a map key is configured.',
  })
  mapImageUrl!: string | null;

  @Field(() => Boolean, {
    description:
      'True when the same ambulance reported another crash within the duplicate window more than 50 m from this ' +
      'one: both are kept and marked, since either may be forged. False for every other crash.',
  })
  conflict!: boolean;

  @Field(() => Date, { nullable: true, description: 'When a dispatcher first acknowledged it; null until then.' })
  acknowledgedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: "The acknowledging dispatcher's token subject." })
  acknowledgedBy: string | null = null;

  @Field(() => String, { nullable: true })
  acknowledgeNote: string | null = null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When the crash was escalated through the alert webhooks because nobody acknowledged it within ' +
      'CRASH_ESCALATE_AFTER_SECONDS; null while it was not (a crash announced live is never escalated yet).',
  })
  escalatedAt: Date | null = null;

  /** A stored crash (history). */
  static fromDocument(doc: CrashDoc): Crash {
    const record = crashRecordOf(doc);
    return Object.assign(Crash.fromRecord({ ...record, seq: resumePosition(record.seq, doc.settled_seq) }), {
      acknowledgedAt: doc.acknowledged_at ?? null,
      acknowledgedBy: doc.acknowledged_by ?? null,
      acknowledgeNote: doc.acknowledge_note ?? null,
      escalatedAt: doc.escalated_at ?? null,
    });
  }

  /** A crash announced live (or replayed from the store): rebuilt from the event payload. */
  static fromEvent(event: CrashEvent): Crash {
    const { acknowledgedAt, acknowledgedBy, acknowledgeNote, escalatedAt, ...record } = event;
    return Object.assign(
      Crash.fromRecord({
        ...record,
        recordedAt: new Date(event.recordedAt),
        conflict: event.conflict === true,
        seq: event.seq ?? null,
      }),
      {
        acknowledgedAt: acknowledgedAt ? new Date(acknowledgedAt) : null,
        acknowledgedBy: acknowledgedBy ?? null,
        acknowledgeNote: acknowledgeNote ?? null,
        escalatedAt: escalatedAt ? new Date(escalatedAt) : null,
      },
    );
  }

  private static fromRecord(record: CrashRecord): Crash {
    return Object.assign(new Crash(), {
      ...record,
      state: SpeedState[record.state],
      cursor: itemCursor(record.recordedAt, record.id, record.seq),
    });
  }
}

@ObjectType()
export class CrashConnection extends Connection(Crash, 'Crash') {}
