import { ArgsType, Field, ID } from 'type-graphql';
import { PaginationArgs, TimeRangePaginationArgs } from './pagination.args.js';

@ArgsType()
export class TrackingHistoryArgs extends TimeRangePaginationArgs {
  @Field(() => ID)
  ambulanceId!: string;
}

@ArgsType()
export class CrashesArgs extends TimeRangePaginationArgs {
  @Field(() => ID, { nullable: true, description: 'Omit for the whole fleet.' })
  ambulanceId?: string;
}

@ArgsType()
export class SpeedingEpisodesArgs extends TimeRangePaginationArgs {
  @Field(() => ID, { nullable: true, description: 'Omit for the whole fleet.' })
  ambulanceId?: string;
}

@ArgsType()
export class SnapshotsArgs extends PaginationArgs {
  @Field(() => ID)
  ambulanceId!: string;
}
