import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { GraphQLErrorCode } from '../errors/error.codes.js';
import { isStorageUnavailable } from '../models/storage.errors.js';
import type { AppMetrics } from './app.metrics.js';

export interface RequestScopedContext {
  readonly requestId: string;
}

const MAX_LOGGED_NAME = 100;

/** The code a client will see for an error (uncoded errors are masked as internal errors). */
function codeOf(error: GraphQLError): unknown {
  if (isStorageUnavailable(error.originalError ?? error)) return GraphQLErrorCode.StorageUnavailable;
  return error.extensions?.code ?? GraphQLErrorCode.InternalServerError;
}

/**
 * Request-scoped logging and metrics for GraphQL over HTTP: each operation's duration and error codes,
 * and a log line (with the request id) for every response that carries errors. The request id of each
 * error is remembered so the error formatter, which Apollo calls without the context, logs it too.
 */
export class GraphqlObservability {
  private readonly errorRequestIds = new WeakMap<object, string>();

  constructor(
    private readonly metrics: AppMetrics,
    private readonly logger: Logger,
  ) {}

  /** The logger for an error being formatted: with its request's id when the plugin saw it. */
  loggerFor(error: unknown): Logger {
    const requestId = typeof error === 'object' && error !== null ? this.errorRequestIds.get(error) : undefined;
    return requestId ? this.logger.child({ reqId: requestId }) : this.logger;
  }

  plugin<Context extends RequestScopedContext>(): ApolloServerPlugin<Context> {
    const { metrics, logger, errorRequestIds } = this;
    return {
      async requestDidStart({ contextValue }) {
        const started = performance.now();
        let codes: unknown[] = [];
        return {
          async didEncounterErrors({ errors }) {
            for (const error of errors) errorRequestIds.set(error, contextValue.requestId);
            codes = errors.map(codeOf);
          },
          async willSendResponse({ operation, operationName }) {
            const type = operation?.operation ?? 'unknown';
            metrics.observeGraphql(type, (performance.now() - started) / 1000, codes);
            if (codes.length === 0) return;
            logger.info(
              {
                reqId: contextValue.requestId,
                operation: type,
                operationName: operationName?.slice(0, MAX_LOGGED_NAME),
                codes,
              },
              'graphql request answered with errors',
            );
          },
        };
      },
    };
  }
}
