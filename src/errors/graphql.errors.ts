import { GraphQLError } from 'graphql';
import { GraphQLErrorCode, type RefusalCode } from './error.codes.js';

/** BAD_USER_INPUT naming the argument: "`argumentName` `message`". */
export const badInput = (argumentName: string, message: string) =>
  new GraphQLError(`${argumentName} ${message}`, { extensions: { code: GraphQLErrorCode.BadUserInput, argumentName } });

export const invalidCursorError = (argumentName: string) =>
  new GraphQLError(`${argumentName} is not a cursor returned by this list`, {
    extensions: { code: GraphQLErrorCode.InvalidCursor, argumentName },
  });

/** CURSOR_EXPIRED: the subscription cannot resume from `after`; the client re-reads history and resumes from there. */
export const cursorExpiredError = (reason: string) =>
  new GraphQLError(
    `${reason}. Take a streamCursor of the topic, read the history since your last item (trackingHistory, ` +
      'crashes or snapshots), then subscribe with `after` set to that streamCursor.',
    { extensions: { code: GraphQLErrorCode.CursorExpired, argumentName: 'after' } },
  );

/** UPLOAD_REJECTED, with the refusal code of the REST upload as `reason`. */
export const uploadRejectedError = (message: string, reason: RefusalCode) =>
  new GraphQLError(message, {
    extensions: { code: GraphQLErrorCode.UploadRejected, reason, argumentName: 'files' },
  });

export const forbiddenError = (message: string, argumentName?: string) =>
  new GraphQLError(message, {
    extensions: { code: GraphQLErrorCode.Forbidden, ...(argumentName ? { argumentName } : {}) },
  });

/** NOT_FOUND: the argument names nothing stored (a place or crash id). */
export const notFoundError = (argumentName: string, message: string) =>
  new GraphQLError(message, { extensions: { code: GraphQLErrorCode.NotFound, argumentName } });
