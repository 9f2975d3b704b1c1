import { Types } from 'mongoose';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import { READERS } from '../auth/root-field.roles.js';
import { eventOfDoc } from '../dispatch/ambulance-event.recorder.js';
import type { AmbulanceEventKind as EventKindName } from '../domain/ambulance-event.js';
import type { AmbulanceEventPayload } from '../events/event.payloads.js';
import { Topics } from '../events/topics.js';
import type { AmbulanceEventDoc } from '../models/ambulance-event.model.js';
import { Ambulance } from './ambulance.type.js';
import { AmbulanceEventsArgs } from './ambulance-event.args.js';
import { AmbulanceEvent, AmbulanceEventConnection } from './ambulance-event.type.js';
import { Crash } from './crash.type.js';
import { AmbulanceEventKind } from './dispatch.enums.js';
import type { GraphQLContext } from './graphql.context.js';
import { loadAmbulance } from './graphql.loaders.js';
import { readPage, scopedRangeFilter } from './page.query.js';
import { subscribeLiveByAmbulance } from './topic.subscribe.js';

const kindsFilter = (kinds: readonly EventKindName[] | null | undefined) =>
  kinds && kinds.length > 0 ? { kind: { $in: [...kinds] } } : {};

@Resolver(() => AmbulanceEvent)
export class AmbulanceEventResolver {
  @Authorized(...READERS)
  @Query(() => AmbulanceEventConnection, {
    description: 'The dispatch event log, oldest first (`last` for the newest), within your token scope.',
  })
  async ambulanceEvents(@Args(() => AmbulanceEventsArgs) args: AmbulanceEventsArgs, @Ctx() context: GraphQLContext) {
    const { models, pageSize } = context.services;
    return readPage<AmbulanceEventDoc, AmbulanceEvent>({
      collection: models.collections.ambulanceEvents,
      timeField: 'at',
      filter: { ...scopedRangeFilter(context.principal, 'at', args), ...kindsFilter(args.kinds) },
      args,
      pageSize,
      timeOf: (doc) => doc.at,
      toNode: (doc) => AmbulanceEvent.fromRecord(eventOfDoc(doc)),
    });
  }

  @Authorized(...READERS)
  @Subscription(() => AmbulanceEvent, {
    description: 'Every new event of one ambulance, or of the whole fleet without ambulanceId; `kinds` filters.',
    subscribe: subscribeLiveByAmbulance(Topics.AmbulanceEvent, (args) => {
      const kinds = args.kinds as EventKindName[] | null | undefined;
      return kinds && kinds.length > 0 ? (payload) => kinds.includes(payload.kind) : undefined;
    }),
  })
  ambulanceEvent(
    @Root() payload: AmbulanceEventPayload,
    @Ctx() context: GraphQLContext,
    @Arg('ambulanceId', () => ID, { nullable: true }) _ambulanceId?: string,
    @Arg('kinds', () => [AmbulanceEventKind], { nullable: true }) _kinds?: EventKindName[],
  ): AmbulanceEvent {
    context.loaders.clearAll();
    return AmbulanceEvent.fromPayload(payload);
  }

  @Authorized(...READERS)
  @FieldResolver(() => Ambulance)
  async ambulance(@Root() event: AmbulanceEvent, @Ctx() context: GraphQLContext): Promise<Ambulance> {
    return loadAmbulance(context.loaders, event.ambulanceId);
  }

  @Authorized(...READERS)
  @FieldResolver(() => Crash, { nullable: true, description: 'CRASH_REPORTED, CRASH_ACKNOWLEDGED: the crash now.' })
  async crash(@Root() event: AmbulanceEvent, @Ctx() context: GraphQLContext): Promise<Crash | null> {
    if (!event.crashId) return null;
    const doc = await context.services.models.collections.crashes.findOne({ _id: new Types.ObjectId(event.crashId) });
    return doc ? Crash.fromDocument(doc) : null;
  }
}
