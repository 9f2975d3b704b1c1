import type { ResolverData } from 'type-graphql';
import { subscribeToTopic } from '../events/event.stream.js';
import type { Topic } from '../events/topics.js';
import type { GraphQLContext } from './graphql.context.js';
import { validAmbulanceId } from './page.query.js';

/**
 * The `subscribe` of every per-ambulance subscription: one ambulance's channel, or the whole fleet when
 * `ambulanceId` is omitted or null (an empty or malformed id is BAD_USER_INPUT, as in the history queries).
 */
export function subscribeByAmbulance(topic: Topic) {
  return ({ args, context }: Pick<ResolverData, 'args' | 'context'>) => {
    const { services } = context as GraphQLContext;
    const requested = args.ambulanceId as string | null | undefined;
    const ambulanceId = requested === undefined || requested === null ? null : validAmbulanceId(requested);
    return subscribeToTopic(services.bus, topic, ambulanceId, services.subscriptionQueueLimit);
  };
}
