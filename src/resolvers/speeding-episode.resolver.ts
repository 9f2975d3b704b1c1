import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { READERS } from '../auth/root-field.roles.js';
import type { SpeedingEpisodeDoc } from '../models/speeding-episode.model.js';
import type { GraphQLContext } from './graphql.context.js';
import { SpeedingEpisodesArgs } from './history.args.js';
import { readPage, scopedRangeFilter } from './page.query.js';
import { SpeedingEpisode, SpeedingEpisodeConnection } from './speeding-episode.type.js';

@Resolver(() => SpeedingEpisode)
export class SpeedingEpisodeResolver {
  @Authorized(...READERS)
  @Query(() => SpeedingEpisodeConnection, {
    description: 'Speeding episodes (runs of ORANGE/RED points) by start time, oldest first.',
  })
  async speedingEpisodes(
    @Args(() => SpeedingEpisodesArgs) args: SpeedingEpisodesArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<SpeedingEpisodeConnection> {
    const { models, pageSize } = context.services;
    const filter = scopedRangeFilter(context.principal, 'started_at', args);
    const [page, totalCount] = await Promise.all([
      readPage<SpeedingEpisodeDoc, SpeedingEpisode>({
        collection: models.collections.speedingEpisodes,
        timeField: 'started_at',
        filter,
        args,
        pageSize,
        timeOf: (doc) => doc.started_at,
        toNode: (doc) => SpeedingEpisode.fromDoc(doc),
      }),
      models.collections.speedingEpisodes.countDocuments(filter),
    ]);
    return Object.assign(new SpeedingEpisodeConnection(), page, { totalCount });
  }
}
