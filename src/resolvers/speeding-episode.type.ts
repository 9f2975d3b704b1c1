import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { ambulanceIdToString } from '../models/ambulance-id.filter.js';
import type { SpeedingEpisodeDoc } from '../models/speeding-episode.model.js';
import { Connection } from './connection.type.js';
import { SpeedState } from './speed-state.enum.js';

@ObjectType({ description: 'A run of consecutive ORANGE/RED points of one ambulance.' })
export class SpeedingEpisode {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  ambulanceId!: string;

  @Field(() => Date)
  startedAt!: Date;

  @Field(() => Date, { description: 'Time of the latest point in the episode so far.' })
  endedAt!: Date;

  @Field(() => Float, { description: 'km/h' })
  maxSpeed!: number;

  @Field(() => SpeedState)
  maxState!: SpeedState;

  @Field(() => Int)
  pointCount!: number;

  static fromDoc(doc: SpeedingEpisodeDoc): SpeedingEpisode {
    return Object.assign(new SpeedingEpisode(), {
      id: doc._id.toHexString(),
      ambulanceId: ambulanceIdToString(doc.ambulance_id),
      startedAt: doc.started_at,
      endedAt: doc.ended_at,
      maxSpeed: doc.max_speed,
      maxState: doc.max_state === 'RED' ? SpeedState.RED : SpeedState.ORANGE,
      pointCount: doc.point_count,
    });
  }
}

@ObjectType()
export class SpeedingEpisodeConnection extends Connection(SpeedingEpisode, 'SpeedingEpisode') {
  @Field(() => Int, { description: 'Episodes matching the filter, across all pages.' })
  totalCount!: number;
}
