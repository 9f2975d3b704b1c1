import { Field, Float, ID, ObjectType } from 'type-graphql';
import type { CrashEvent } from '../events/event.payloads.js';
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

  static fromEvent(event: CrashEvent): Crash {
    return Object.assign(new Crash(), {
      ...event,
      state: SpeedState[event.state],
      recordedAt: new Date(event.recordedAt),
    });
  }
}

@ObjectType()
export class CrashConnection extends Connection(Crash, 'Crash') {}
