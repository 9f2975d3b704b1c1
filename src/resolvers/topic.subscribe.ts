import type { ResolverData } from 'type-graphql';
import { assertAmbulanceInScope, scopeFilter } from '../auth/ambulance.scope.js';
import { mayAccessAmbulance } from '../auth/principal.js';
import { decodeCursor } from '../domain/cursor.js';
import { invalidCursorError } from '../errors/graphql.errors.js';
import { subscribeToTopic } from '../events/event.stream.js';
import type { LoggedTopic, Topic, TopicPayloads } from '../events/topics.js';
import type { GraphQLContext } from './graphql.context.js';
import { validAmbulanceId } from './page.query.js';

export const AFTER_DESCRIPTION =
  'Resume after this item: the `cursor` of the last item you received (from this subscription, or of a ' +
  "history edge or `endCursor`). Every stored item of the subscription's scope after it is delivered first, " +
  'oldest first, then live items, with none missing and none repeated at the seam. Omit for live items ' +
  'from now. INVALID_CURSOR when it is not a cursor; CURSOR_EXPIRED when its item is older than the server ' +
  'resumes from (STREAM_RESUME_MAX_AGE_HOURS, 24 h by default) or is not an item of this topic: take a ' +
  '`streamCursor`, read the history, then subscribe after that streamCursor.';

export const STREAM_GUARANTEE =
  " Items come in the order of this topic's commit-ordered log (so in order per ambulance), each at most once " +
  'per subscription, with stable ids and cursors. Resuming with `after` set to the cursor of the last item ' +
  'received delivers every stored item of the scope after it exactly once, wherever it was stored and even ' +
  'if Redis or an instance restarted meanwhile (see docs/resume.md).';

/** The subscription's ambulance (null for the fleet), checked against the caller's token scope. */
function requestedAmbulance(args: Record<string, unknown>, context: GraphQLContext): string | null {
  const requested = args.ambulanceId as string | null | undefined;
  const ambulanceId = requested === undefined || requested === null ? null : validAmbulanceId(requested);
  if (ambulanceId !== null) assertAmbulanceInScope(context.principal, ambulanceId, 'ambulanceId');
  return ambulanceId;
}

/**
 * The `subscribe` of every per-ambulance subscription of a logged topic (tracking, crashes, snapshots): one
 * ambulance, or the whole fleet when `ambulanceId` is omitted or null (an empty or malformed id is
 * BAD_USER_INPUT, as in the history queries). An ambulance outside the caller's token scope is FORBIDDEN; a
 * scoped caller's fleet subscription gets only the items of its ambulances. Items come in the order of their
 * topic's log (src/streams); with `after` the stream first replays the stored items after that cursor.
 */
export function subscribeByAmbulance(topic: LoggedTopic) {
  return async ({ args, context }: Pick<ResolverData, 'args' | 'context'>) => {
    const { services, principal } = context as GraphQLContext;
    const ambulanceId = requestedAmbulance(args, context as GraphQLContext);
    const afterText = args.after as string | null | undefined;
    const after = afterText === undefined || afterText === null ? null : decodeCursor(afterText);
    if (afterText !== undefined && afterText !== null && after === null) throw invalidCursorError('after');
    const scoped = ambulanceId === null && principal.ambulances !== null;
    return services.streams.open({
      topic,
      ambulanceId,
      scope: scopeFilter(principal),
      accept: scoped
        ? (payload: { ambulanceId: string }) => mayAccessAmbulance(principal, payload.ambulanceId)
        : undefined,
      after,
      limit: services.subscriptionQueueLimit,
    });
  };
}

/**
 * The `subscribe` of a per-ambulance subscription of a topic without a log (dispatch events): live from now,
 * with the same ambulance and scope rules, and `filterOf` for a further filter from its arguments.
 */
export function subscribeLiveByAmbulance<T extends Topic>(
  topic: T,
  filterOf?: (args: Record<string, unknown>) => ((payload: TopicPayloads[T]) => boolean) | undefined,
) {
  return ({ args, context }: Pick<ResolverData, 'args' | 'context'>) => {
    const { services, principal } = context as GraphQLContext;
    const ambulanceId = requestedAmbulance(args, context as GraphQLContext);
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
