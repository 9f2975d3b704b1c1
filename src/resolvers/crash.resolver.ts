import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import { READERS } from '../auth/root-field.roles.js';
import type { CrashEvent } from '../events/event.payloads.js';
import { Topics } from '../events/topics.js';
import type { CrashDoc } from '../models/crash.model.js';
import { Ambulance } from './ambulance.type.js';

import { Crash, CrashConnection } from './crash.type.js';
import type { GraphQLContext } from './graphql.context.js';
import { loadAmbulance } from './graphql.loaders.js';
import { CrashesArgs } from './history.args.js';
import { readPage, scopedRangeFilter } from './page.query.js';
import { AFTER_DESCRIPTION, STREAM_GUARANTEE, subscribeByAmbulance } from './topic.subscribe.js';

@Resolver(() => Crash)
export class CrashResolver {
  @Authorized(...READERS)
  @Query(() => CrashConnection, { description: 'Stored crash notifications, oldest first.' })
  async crashes(@Args(() => CrashesArgs) args: CrashesArgs, @Ctx() context: GraphQLContext) {
    const { models, pageSize } = context.services;
    return readPage<CrashDoc, Crash>({
      collection: models.collections.crashes,
      timeField: 'count_datetime',
      filter: scopedRangeFilter(context.principal, 'count_datetime', args),
      args,
      pageSize,
      timeOf: (doc) => doc.count_datetime,
      toNode: (doc) => Crash.fromDocument(doc),
    });
  }

  @Authorized(...READERS)
  @Subscription(() => Crash, {
    description: `Every stored crash notification of one ambulance, or of the whole fleet without ambulanceId.${STREAM_GUARANTEE}`,
    subscribe: subscribeByAmbulance(Topics.CrashReported),
  })
  crashReported(
    @Root() event: CrashEvent,
    @Ctx() context: GraphQLContext,
    // type-graphql lists arguments in the reverse order of these parameters.
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) _after?: string,
    @Arg('ambulanceId', () => ID, { nullable: true }) _ambulanceId?: string,
  ): Crash {
    context.loaders.clearAll();
    return Crash.fromEvent(event);
  }

  @Authorized(...READERS)
  @FieldResolver(() => Ambulance)
  async ambulance(@Root() crash: Crash, @Ctx() context: GraphQLContext): Promise<Ambulance> {
    return loadAmbulance(context.loaders, crash.ambulanceId);
  }
}
