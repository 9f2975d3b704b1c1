import { Field, Float, ID, ObjectType } from 'type-graphql';
import type { CrashEvent } from '../events/event.payloads.js';
import type { CrashDoc } from '../models/crash.model.js';
import { type CrashRecord, crashRecordOf } from '../models/stored-record.read.js';
import { Connection } from './connection.type.js';
import { SpeedState } from './speed-state.enum.js';

@ObjectType({ description: 'A crash notification from an ambulance crash sensor.' })
export class Crash {
  @Field(() => ID)
  id!: string;

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

  @Field(() => Date, {
    nullable: true,
    description:
      'When the crash was escalated through the alert webhooks because nobody acknowledged it within ' +
      'CRASH_ESCALATE_AFTER_SECONDS; null while it was not (a crash announced live is never escalated yet).',
  })
  escalatedAt!: Date | null;

  /** A stored crash (history). */
  static fromDocument(doc: CrashDoc): Crash {
    return Object.assign(Crash.fromRecord(crashRecordOf(doc)), { escalatedAt: doc.escalated_at ?? null });
  }

  /** A crash announced live: rebuilt from the event payload that crossed Redis. */
  static fromEvent(event: CrashEvent): Crash {
    return Crash.fromRecord({ ...event, recordedAt: new Date(event.recordedAt), conflict: event.conflict === true });
  }

  private static fromRecord(record: CrashRecord): Crash {
    return Object.assign(new Crash(), { ...record, state: SpeedState[record.state], escalatedAt: null });
  }
}

@ObjectType()
export class CrashConnection extends Connection(Crash, 'Crash') {}
