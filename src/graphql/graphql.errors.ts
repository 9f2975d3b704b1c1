import { GraphQLError } from 'graphql';

/** Stable `extensions.code` values clients can branch on. */
export const ErrorCode = {
  BadUserInput: 'BAD_USER_INPUT',
  InvalidCursor: 'INVALID_CURSOR',
  StorageUnavailable: 'STORAGE_UNAVAILABLE',
  UploadRejected: 'UPLOAD_REJECTED',
} as const;

export const badInput = (argumentName: string, message: string) =>
  new GraphQLError(`${argumentName} ${message}`, { extensions: { code: ErrorCode.BadUserInput, argumentName } });
