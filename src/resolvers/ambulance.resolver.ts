import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { assertAmbulanceInScope, scopeFilter } from '../auth/ambulance.scope.js';
import { READERS } from '../graphql/role.auth-checker.js';
import type { AmbulanceDoc } from '../models/ambulance.model.js';
import { Ambulance } from './ambulance.type.js';
import type { GraphQLContext } from './graphql.context.js';
import { validAmbulanceId } from './page.query.js';
import { TrackingPoint } from './tracking-point.type.js';

@Resolver(() => Ambulance)
export class AmbulanceResolver {
  @Authorized(...READERS)
  @Query(() => [Ambulance], {
    description: 'Every ambulance that has posted, ordered by id (only those your token lists, when it lists some).',
  })
  async ambulances(@Ctx() context: GraphQLContext): Promise<Ambulance[]> {
    const scoped = scopeFilter(context.principal);
    const docs = await context.services.models.collections.ambulances
      .find<AmbulanceDoc>(scoped ? { _id: scoped } : {})
      .toArray();
    return docs.map((doc) => Ambulance.fromDoc(doc)).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  }

  @Authorized(...READERS)
  @Query(() => Ambulance, { nullable: true })
  async ambulance(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<Ambulance | null> {
    assertAmbulanceInScope(context.principal, validAmbulanceId(id, 'id'), 'id');
    const doc = await context.loaders.ambulanceById.load(id);
    return doc ? Ambulance.fromDoc(doc) : null;
  }

  @Authorized(...READERS)
  @FieldResolver(() => TrackingPoint, { nullable: true, description: 'The newest stored position.' })
  async lastPosition(@Root() ambulance: Ambulance, @Ctx() context: GraphQLContext): Promise<TrackingPoint | null> {
    if (ambulance.embeddedLastPosition) return ambulance.embeddedLastPosition;
    const doc = await context.loaders.latestTrackingByAmbulanceId.load(ambulance.id);
    return doc ? TrackingPoint.fromDocument(doc) : null;
  }
}
