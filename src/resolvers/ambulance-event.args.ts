import { ArgsType, Field, ID } from 'type-graphql';
import { AmbulanceEventKind } from './dispatch.enums.js';
import { BackwardPageArgs, PageArgs, TimeRangeArgs } from './pagination.args.js';

@ArgsType()
abstract class EventFilterArgs {
  @Field(() => ID, { nullable: true, description: 'Omit for the whole fleet.' })
  ambulanceId?: string;

  @Field(() => [AmbulanceEventKind], { nullable: true, description: 'Only these kinds; omit for every kind.' })
  kinds?: AmbulanceEventKind[];
}

@ArgsType()
export class AmbulanceEventsArgs extends BackwardPageArgs(PageArgs(TimeRangeArgs(EventFilterArgs))) {}
