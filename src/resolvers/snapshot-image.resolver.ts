import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from './graphql.context.js';
import { SnapshotImage } from './snapshot.type.js';

/** Image URLs are signed when asked for, so each caller gets a fresh expiry (events carry the unsigned path). */
@Resolver(() => SnapshotImage)
export class SnapshotImageResolver {
  @FieldResolver(() => String)
  url(@Root() image: SnapshotImage, @Ctx() context: GraphQLContext): string {
    return context.services.uploadUrls?.sign(image.url) ?? image.url;
  }
}
