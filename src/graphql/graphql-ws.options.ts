import { type ExecutionResult, GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator.js';
import type { Principal } from '../auth/principal.js';
import { rolesOfRootFields } from '../auth/root-field.roles.js';
import { GraphQLErrorCode } from '../errors/error.codes.js';
import { ConnectionCounter } from '../limits/connection.counter.js';
import { DocumentPreparer, type GraphQLLimits } from '../limits/graphql.limits.js';
import { CLOSE_TOO_MANY } from '../limits/ws.limits.js';
import type { GraphQLContext } from '../resolvers/graphql.context.js';
import { maskError } from './error.mask.js';
import type { SharedSubscriptions } from './shared-subscriptions.js';
import { authorizeSubscriber } from './subscription.authorization.js';
import { attachDirectDelivery, type SocketExtra, serializedPayloadOf } from './ws.transport.js';
import { forbiddenCloseReason } from './ws-close.reason.js';

/** graphql-ws's "Forbidden" close code: a missing, invalid or expired token. */
export const CLOSE_FORBIDDEN = 4403;
/** setTimeout's largest delay; longer waits are re-armed. */
const MAX_TIMER_MS = 2_147_483_647;

export interface ConnectionState {
  principal?: Principal;
}

export interface GraphQLWsDependencies {
  readonly schema: GraphQLSchema;
  readonly subscriptions: SharedSubscriptions;
  readonly authenticator: Authenticator;
  readonly createContext: (principal: Principal, requestId: string) => GraphQLContext;
  readonly limits: GraphQLLimits;
  readonly rules: readonly ValidationRule[];
  readonly maxSubscriptions: number;
  /** Open connections per token subject (`sub`); 0 for no cap. */
  readonly maxConnectionsPerSubject: number;
  readonly connectionInitTimeoutMs: number;
  /** The logger for one connection's lines, by the id of its upgrade request. */
  readonly loggerFor: (requestId: string) => Logger;
}

type Ctx = Parameters<
  NonNullable<ServerOptions<Record<string, unknown>, SocketExtra & ConnectionState>['onConnect']>
>[0];

/** Closes the socket with 4403 when the token expires (plus the clock tolerance its verification allowed). */
function closeAtExpiry(socket: SocketExtra['socket'], closeAt: number): void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const wait = closeAt - Date.now();
    if (wait <= 0) {
      socket.close(CLOSE_FORBIDDEN, 'Forbidden: token expired');
      return;
    }
    timer = setTimeout(arm, Math.min(wait, MAX_TIMER_MS));
  };
  arm();
  // 'close' comes once: `on` spares the wrapper `once` would keep for as long as the socket is open.
  socket.on('close', () => clearTimeout(timer));
}

/**
 * graphql-ws server options with the same rules as GraphQL over HTTP: the token from
 * `connectionParams.authorization` (refused with 4403), a bound on connections per token subject (4429), the
 * document limits (graphql-ws does not run Apollo's validation), a bound on operations per connection, masked
 * errors, and shared subscription execution.
 */
export function graphqlWsOptions(
  deps: GraphQLWsDependencies,
): ServerOptions<Record<string, unknown>, SocketExtra & ConnectionState> {
  const { authenticator } = deps;
  const rolesByRootField = rolesOfRootFields();
  const perSubject = new ConnectionCounter(deps.maxConnectionsPerSubject);
  const documents = new DocumentPreparer(deps.schema, deps.limits, deps.rules);
  return {
    schema: deps.schema,
    connectionInitWaitTimeout: deps.connectionInitTimeoutMs,
    onConnect: async (ctx: Ctx) => {
      const params = ctx.connectionParams ?? {};
      try {
        const principal = await authenticator.authenticate(params.authorization ?? params.Authorization);
        // The client may have gone while the token was verified (a JWKS fetch): its 'close' has fired already,
        // so counting it now would hold its place for good.
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false;
        const { subject } = principal;
        if (subject !== null) {
          if (!perSubject.tryOpen(subject)) {
            ctx.extra.socket.close(
              CLOSE_TOO_MANY,
              `Too many connections with this token's subject (at most ${perSubject.max}); close one first`,
            );
            return false;
          }
          ctx.extra.socket.on('close', () => perSubject.close(subject));
        }
        ctx.extra.principal = principal;
        if (principal.expiresAt !== null) {
          closeAtExpiry(ctx.extra.socket, principal.expiresAt + authenticator.clockToleranceMs());
        }
        // The acknowledgement's payload: clients tell what was stored before they (re)connected by this clock.
        return { serverTime: new Date().toISOString() };
      } catch (error) {
        // Closed here rather than by returning false, which closes with a bare "Forbidden": the reason says why.
        ctx.extra.socket.close(CLOSE_FORBIDDEN, forbiddenCloseReason(error));
        return false;
      }
    },
    onSubscribe: (ctx, id, payload) => {
      const principal = ctx.extra.principal;
      if (!principal) {
        return [new GraphQLError('Unauthenticated', { extensions: { code: GraphQLErrorCode.Unauthenticated } })];
      }
      // graphql-ws has already reserved this operation's id in ctx.subscriptions.
      if (Object.keys(ctx.subscriptions).length > deps.maxSubscriptions) {
        return [
          new GraphQLError(
            `at most ${deps.maxSubscriptions} operations at once per connection; complete one first or open another connection`,
            { extensions: { code: GraphQLErrorCode.TooManySubscriptions } },
          ),
        ];
      }
      const document = documents.prepare(payload);
      if (Array.isArray(document)) return document;
      const contextValue = deps.createContext(principal, ctx.extra.requestId);
      attachDirectDelivery(contextValue, ctx.extra.socket, id);
      return {
        schema: deps.schema,
        document,
        operationName: payload.operationName ?? null,
        variableValues: payload.variables ?? null,
        contextValue,
      };
    },
    // Every subscriber, not only the first of a shared execution, is authorised before it is attached. Refused
    // as graphql-js refuses in the resolver (a `next` with the errors, then `complete`), which clients rely on.
    subscribe: (args) => {
      const request = { document: args.document, operationName: args.operationName, variables: args.variableValues };
      const { principal } = args.contextValue as GraphQLContext;
      const refusal = authorizeSubscriber(deps.schema, request, principal, rolesByRootField);
      return refusal ? { errors: refusal } : deps.subscriptions.subscribe(args);
    },
    onNext: (ctx, _id, _payload, _args, result) =>
      result.errors
        ? {
            ...result,
            errors: result.errors.map((error) => maskError(error.toJSON(), error, deps.loggerFor(ctx.extra.requestId))),
          }
        : // Written into the message as is by serveGraphqlWs (see SerializedPayload), once for all its subscribers.
          (serializedPayloadOf(result) as unknown as ExecutionResult),
  };
}
