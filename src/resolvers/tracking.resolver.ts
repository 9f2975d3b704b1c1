import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import { READERS } from '../auth/root-field.roles.js';
import type { TrackingEvent } from '../events/event.payloads.js';
import { Topics } from '../events/topics.js';
import type { TrackingDoc } from '../models/tracking.model.js';
import { Ambulance } from './ambulance.type.js';

import type { GraphQLContext } from './graphql.context.js';
import { loadAmbulance } from './graphql.loaders.js';
import { TrackingHistoryArgs } from './history.args.js';
import { readPage, scopedRangeFilter } from './page.query.js';
import { AFTER_DESCRIPTION, STREAM_GUARANTEE, subscribeByAmbulance } from './topic.subscribe.js';
import { TrackingPoint, TrackingPointConnection } from './tracking-point.type.js';

@Resolver(() => TrackingPoint)
export class TrackingResolver {
  @Authorized(...READERS)
  @Query(() => TrackingPointConnection, { description: 'Stored positions of one ambulance, oldest first.' })
  async trackingHistory(@Args(() => TrackingHistoryArgs) args: TrackingHistoryArgs, @Ctx() context: GraphQLContext) {
    const { models, pageSize } = context.services;
    return readPage<TrackingDoc, TrackingPoint>({
      collection: models.collections.trackings,
      timeField: 'count_datetime',
      filter: scopedRangeFilter(context.principal, 'count_datetime', args),
      args,
      pageSize,
      timeOf: (doc) => doc.count_datetime,
      toNode: (doc) => TrackingPoint.fromDocument(doc),
    });
  }

  @Authorized(...READERS)
  @Subscription(() => TrackingPoint, {
    description: `Every stored position of one ambulance, or of the whole fleet without ambulanceId.${STREAM_GUARANTEE}`,
    subscribe: subscribeByAmbulance(Topics.TrackingUpdated),
  })
  trackingUpdated(
    @Root() event: TrackingEvent,
    @Ctx() context: GraphQLContext,
    // type-graphql lists arguments in the reverse order of these parameters.
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) _after?: string,
    @Arg('ambulanceId', () => ID, { nullable: true }) _ambulanceId?: string,
  ): TrackingPoint {
    context.loaders.clearAll();
    return TrackingPoint.fromEvent(event);
  }

  @Authorized(...READERS)
  @FieldResolver(() => Ambulance)
  async ambulance(@Root() point: TrackingPoint, @Ctx() context: GraphQLContext): Promise<Ambulance> {
    return loadAmbulance(context.loaders, point.ambulanceId);
  }
}
