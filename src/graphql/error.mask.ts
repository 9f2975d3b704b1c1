import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { isStorageUnavailable } from '../models/storage.errors.js';
import { ErrorCode } from './graphql.errors.js';

const CLIENT_CODES_KEPT = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  ErrorCode.InvalidCursor,
  ErrorCode.UploadRejected,
  'SUBSCRIPTION_OVERFLOW',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'TOO_MANY_SUBSCRIPTIONS',
]);

/**
 * What a client sees of an error: coded errors pass through; anything else (a bug, a driver error)
 * becomes a generic coded message, and the original is logged instead of leaked.
 */
export function maskError(formatted: GraphQLFormattedError, original: unknown, logger: Logger): GraphQLFormattedError {
  const cause = (original as { originalError?: unknown } | undefined)?.originalError ?? original;
  if (isStorageUnavailable(cause)) {
    return {
      message: 'Storage is unavailable; retry later.',
      path: formatted.path,
      extensions: { code: ErrorCode.StorageUnavailable },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_CODES_KEPT.has(code)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  logger.error({ err: cause, path: formatted.path }, 'graphql operation failed');
  return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
