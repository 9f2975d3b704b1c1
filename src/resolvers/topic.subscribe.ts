import type { ResolverData } from 'type-graphql';
import { assertAmbulanceInScope } from '../auth/ambulance.scope.js';
import { mayAccessAmbulance } from '../auth/principal.js';
import { subscribeToTopic } from '../events/event.stream.js';
import type { Topic, TopicPayloads } from '../events/topics.js';
import type { GraphQLContext } from './graphql.context.js';
import { validAmbulanceId } from './page.query.js';

/**
 * The `subscribe` of every per-ambulance subscription: one ambulance's channel, or the whole fleet when
 * `ambulanceId` is omitted or null (an empty or malformed id is BAD_USER_INPUT, as in the history queries).
 * An ambulance outside the caller's token scope is FORBIDDEN; a scoped caller's fleet subscription gets only
 * the events of its ambulances, filtered by id in memory (shared by every subscriber with the same scope).
 */
export function subscribeByAmbulance<T extends Topic>(
  topic: T,
  /** A further filter from the subscription's arguments (undefined: none). */
  filterOf?: (args: Record<string, unknown>) => ((payload: TopicPayloads[T]) => boolean) | undefined,
) {
  return ({ args, context }: Pick<ResolverData, 'args' | 'context'>) => {
    const { services, principal } = context as GraphQLContext;
    const requested = args.ambulanceId as string | null | undefined;
    const ambulanceId = requested === undefined || requested === null ? null : validAmbulanceId(requested);
    if (ambulanceId !== null) assertAmbulanceInScope(principal, ambulanceId, 'ambulanceId');
    const inScope =
      ambulanceId === null && principal.ambulances !== null
        ? (payload: { ambulanceId: string }) => mayAccessAmbulance(principal, payload.ambulanceId)
        : undefined;
    const wanted = filterOf?.(args);
    const accept =
      inScope && wanted ? (payload: TopicPayloads[T]) => inScope(payload) && wanted(payload) : (inScope ?? wanted);
    return subscribeToTopic(services.bus, topic, ambulanceId, services.subscriptionQueueLimit, accept);
  };
}
