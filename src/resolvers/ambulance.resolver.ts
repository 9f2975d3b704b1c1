import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { assertAmbulanceInScope } from '../auth/ambulance.scope.js';
import { READERS } from '../auth/root-field.roles.js';
import { connectivityOf } from '../domain/connectivity.rules.js';
import { encodeIdCursor } from '../domain/cursor.js';
import { isLaterPosition } from '../events/latest-positions.js';
import { Ambulance } from './ambulance.type.js';
import { Connectivity } from './dispatch.enums.js';
import { AmbulancesArgs } from './fleet.args.js';
import { readFleetPage } from './fleet.query.js';
import type { GraphQLContext } from './graphql.context.js';
import { validAmbulanceId } from './page.query.js';
import { TrackingPoint } from './tracking-point.type.js';

@Resolver(() => Ambulance)
export class AmbulanceResolver {
  @Authorized(...READERS)
  @Query(() => [Ambulance], {
    description:
      'Ambulances that have posted (only those your token lists, when it lists some), one page at a time in the ' +
      'order of their stored ids: the first page without arguments; pass the `cursor` of the last one as `after` ' +
      'for the next. A page shorter than `first` (or the default page size) is the last.',
  })
  async ambulances(
    @Args(() => AmbulancesArgs) args: AmbulancesArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<Ambulance[]> {
    const { services } = context;
    const docs = await readFleetPage(
      services.models.collections.ambulances,
      context.principal,
      args,
      services.pageSize,
    );
    return docs.map((doc) => Ambulance.fromDoc(doc));
  }

  @Authorized(...READERS)
  @Query(() => Ambulance, { nullable: true })
  async ambulance(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<Ambulance | null> {
    assertAmbulanceInScope(context.principal, validAmbulanceId(id, 'id'), 'id');
    const doc = await context.loaders.ambulanceById.load(id);
    return doc ? Ambulance.fromDoc(doc) : null;
  }

  @Authorized(...READERS)
  @FieldResolver(() => String, {
    description: 'Opaque position of this ambulance in `ambulances`: pass it as `after` to read those that follow.',
  })
  cursor(@Root() ambulance: Ambulance): string {
    return encodeIdCursor({ id: ambulance.id, objectId: ambulance.storedAsObjectId });
  }

  @Authorized(...READERS)
  @FieldResolver(() => TrackingPoint, { nullable: true, description: 'The newest stored position.' })
  async lastPosition(@Root() ambulance: Ambulance, @Ctx() context: GraphQLContext): Promise<TrackingPoint | null> {
    const stored = ambulance.embeddedLastPosition ?? (await this.latestStored(ambulance.id, context));
    const live = context.services.latestPositions.of(ambulance.id);
    if (live && (!stored || isLaterPosition(live, stored))) return TrackingPoint.fromEvent(live);
    return stored;
  }

  private async latestStored(ambulanceId: string, context: GraphQLContext): Promise<TrackingPoint | null> {
    const doc = await context.loaders.latestTrackingByAmbulanceId.load(ambulanceId);
    return doc ? TrackingPoint.fromDocument(doc) : null;
  }

  @Authorized(...READERS)
  @FieldResolver(() => Date, {
    nullable: true,
    description: 'When the newest position was received (for OFFLINE units: "offline since"); null if none.',
  })
  async lastReportAt(@Root() ambulance: Ambulance, @Ctx() context: GraphQLContext): Promise<Date | null> {
    return (await this.lastPosition(ambulance, context))?.recordedAt ?? null;
  }

  @Authorized(...READERS)
  @FieldResolver(() => Connectivity, {
    description: 'From the age of the last report (STALE_AFTER_SECONDS, OFFLINE_AFTER_SECONDS); OFFLINE if none.',
  })
  async connectivity(@Root() ambulance: Ambulance, @Ctx() context: GraphQLContext): Promise<Connectivity> {
    const lastReportAt = await this.lastReportAt(ambulance, context);
    return connectivityOf(lastReportAt, new Date(), context.services.dispatch.connectivity);
  }
}
