import { Types } from 'mongoose';
import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { DISPATCHERS, READERS } from '../auth/root-field.roles.js';
import { badInput, notFoundError } from '../errors/graphql.errors.js';
import type { GraphQLContext } from './graphql.context.js';
import { Place, PlaceInput, shapeOfInput } from './place.type.js';

function placeId(id: string): Types.ObjectId {
  if (!/^[0-9a-f]{24}$/i.test(id)) throw badInput('id', 'is not the id of a place');
  return new Types.ObjectId(id);
}

@Resolver(() => Place)
export class PlaceResolver {
  @Authorized(...READERS)
  @Query(() => [Place], { description: 'Every place, by name.' })
  async places(@Ctx() context: GraphQLContext): Promise<Place[]> {
    return (await context.services.dispatch.places.all()).map((doc) => Place.fromDoc(doc));
  }

  @Authorized(...DISPATCHERS)
  @Mutation(() => Place, { description: 'Adds a place; units entering it from now on are announced.' })
  async createPlace(@Arg('input', () => PlaceInput) input: PlaceInput, @Ctx() context: GraphQLContext) {
    const { name, kind } = input;
    const doc = await context.services.dispatch.places.create(
      { name, kind, shape: shapeOfInput(input) },
      context.principal.subject,
    );
    return Place.fromDoc(doc);
  }

  @Authorized(...DISPATCHERS)
  @Mutation(() => Place, { description: 'Replaces a place (NOT_FOUND when there is none with this id).' })
  async updatePlace(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => PlaceInput) input: PlaceInput,
    @Ctx() context: GraphQLContext,
  ): Promise<Place> {
    const { name, kind } = input;
    const doc = await context.services.dispatch.places.update(
      placeId(id),
      { name, kind, shape: shapeOfInput(input) },
      context.principal.subject,
    );
    if (!doc) throw notFoundError('id', `no place has id "${id}"`);
    return Place.fromDoc(doc);
  }

  @Authorized(...DISPATCHERS)
  @Mutation(() => Boolean, { description: 'Deletes a place; false when there was none with this id.' })
  async deletePlace(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<boolean> {
    return context.services.dispatch.places.delete(placeId(id));
  }
}
