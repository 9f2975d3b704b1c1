import { Arg, Authorized, Ctx, Query, Resolver, registerEnumType } from 'type-graphql';
import { READERS } from '../auth/root-field.roles.js';
import { encodeCursor, POSITION_ONLY_ID } from '../domain/cursor.js';
import type { LogName } from '../models/stream.positions.js';
import type { GraphQLContext } from './graphql.context.js';

export enum StreamTopic {
  TRACKING = 'TRACKING',
  CRASHES = 'CRASHES',
  SNAPSHOTS = 'SNAPSHOTS',
}

registerEnumType(StreamTopic, {
  name: 'StreamTopic',
  description: 'TRACKING (trackingUpdated), CRASHES (crashReported), SNAPSHOTS (snapshotUploaded).',
});

const LOG_OF: Record<StreamTopic, LogName> = {
  [StreamTopic.TRACKING]: 'trackings',
  [StreamTopic.CRASHES]: 'crashes',
  [StreamTopic.SNAPSHOTS]: 'snapshots',
};

@Resolver()
export class StreamCursorResolver {
  @Authorized(...READERS)
  @Query(() => String, {
    description:
      'A cursor at the current end of a subscription topic, for a client that holds no cursor of it yet: take ' +
      'it, read what you need (history, the fleet), then subscribe with `after` set to it. Everything stored ' +
      'from now on is delivered; items stored while you read may come in both (merge by id). It names a ' +
      'position only: it does not page history.',
  })
  async streamCursor(
    @Arg('topic', () => StreamTopic) topic: StreamTopic,
    @Ctx() context: GraphQLContext,
  ): Promise<string> {
    const { settled } = await context.services.models.positions.head(LOG_OF[topic]);
    return encodeCursor({ time: new Date(), id: POSITION_ONLY_ID, seq: settled });
  }
}
