import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { AmbulanceDoc } from '../models/ambulance.model.js';
import { Ambulance } from './ambulance.type.js';
import type { GraphQLContext } from './graphql.context.js';
import { validAmbulanceId } from './page.query.js';
import { TrackingPoint } from './tracking-point.type.js';

@Resolver(() => Ambulance)
export class AmbulanceResolver {
  @Query(() => [Ambulance], { description: 'Every ambulance that has posted, ordered by id.' })
  async ambulances(@Ctx() context: GraphQLContext): Promise<Ambulance[]> {
    const docs = await context.services.models.collections.ambulances.find<AmbulanceDoc>({}).toArray();
    return docs.map((doc) => Ambulance.fromDoc(doc)).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  }

  @Query(() => Ambulance, { nullable: true })
  async ambulance(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<Ambulance | null> {
    const doc = await context.loaders.ambulanceById.load(validAmbulanceId(id, 'id'));
    return doc ? Ambulance.fromDoc(doc) : null;
  }

  @FieldResolver(() => TrackingPoint, { nullable: true, description: 'The newest stored position.' })
  async lastPosition(@Root() ambulance: Ambulance, @Ctx() context: GraphQLContext): Promise<TrackingPoint | null> {
    const event =
      ambulance.embeddedLastPosition ?? (await context.loaders.latestTrackingByAmbulanceId.load(ambulance.id));
    return event ? TrackingPoint.fromEvent(event) : null;
  }
}
