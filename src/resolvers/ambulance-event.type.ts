import { Field, ID, ObjectType } from 'type-graphql';
import type { AmbulanceEventRecord } from '../domain/ambulance-event.js';
import type { AmbulanceEventPayload } from '../events/event.payloads.js';
import { Connection } from './connection.type.js';
import { AmbulanceEventKind, PlaceKind, UnitStatus } from './dispatch.enums.js';

@ObjectType({ description: 'The place of an event, as it was named when the event happened.' })
export class AmbulanceEventPlace {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => PlaceKind)
  kind!: PlaceKind;
}

@ObjectType({ description: 'One entry of the dispatch event log (docs/dispatch.md).' })
export class AmbulanceEvent {
  @Field(() => ID, { description: 'Derived from the cause: the same on every instance, usable as an idempotency key.' })
  id!: string;

  @Field(() => ID)
  ambulanceId!: string;

  @Field(() => AmbulanceEventKind)
  kind!: AmbulanceEventKind;

  @Field(() => Date, { description: 'When it happened (for arrivals: the report that completed the dwell).' })
  at!: Date;

  @Field(() => AmbulanceEventPlace, { nullable: true, description: 'PLACE_ENTERED, PLACE_LEFT.' })
  place!: AmbulanceEventPlace | null;

  @Field(() => UnitStatus, { nullable: true, description: 'STATUS_CHANGED: the new status.' })
  status!: UnitStatus | null;

  @Field(() => UnitStatus, { nullable: true, description: 'STATUS_CHANGED: the status before.' })
  previousStatus!: UnitStatus | null;

  @Field(() => ID, { nullable: true, description: 'CRASH_REPORTED, CRASH_ACKNOWLEDGED.' })
  crashId!: string | null;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Who or what caused it: a token subject, or `system:<rule>` for inferred changes.',
  })
  by!: string | null;

  static fromRecord(record: AmbulanceEventRecord): AmbulanceEvent {
    return Object.assign(new AmbulanceEvent(), {
      ...record,
      place: record.place ? Object.assign(new AmbulanceEventPlace(), record.place) : null,
    });
  }

  static fromPayload(payload: AmbulanceEventPayload): AmbulanceEvent {
    return AmbulanceEvent.fromRecord({ ...payload, at: new Date(payload.at) });
  }
}

@ObjectType()
export class AmbulanceEventConnection extends Connection(AmbulanceEvent, 'AmbulanceEvent') {}
