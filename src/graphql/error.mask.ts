import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { CLIENT_ERROR_CODES, GraphQLErrorCode } from '../errors/error.codes.js';
import { isStorageUnavailable } from '../models/storage.errors.js';

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
      extensions: { code: GraphQLErrorCode.StorageUnavailable },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  logger.error({ err: cause, path: formatted.path }, 'graphql operation failed');
  return {
    message: 'Internal server error',
    path: formatted.path,
    extensions: { code: GraphQLErrorCode.InternalServerError },
  };
}
