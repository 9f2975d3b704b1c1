import { ApolloServerErrorCode } from '@apollo/server/errors';

/**
 * Every `extensions.code` a GraphQL answer (HTTP or WebSocket) can carry. Apollo Server's own codes are
 * reused as they are; the rest are this server's.
 */
export const GraphQLErrorCode = {
  BadUserInput: ApolloServerErrorCode.BAD_USER_INPUT,
  BadRequest: ApolloServerErrorCode.BAD_REQUEST,
  ParseFailed: ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ValidationFailed: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  PersistedQueryNotFound: ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  PersistedQueryNotSupported: ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  OperationResolutionFailure: ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  InternalServerError: ApolloServerErrorCode.INTERNAL_SERVER_ERROR,
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  InvalidCursor: 'INVALID_CURSOR',
  CursorExpired: 'CURSOR_EXPIRED',
  UploadRejected: 'UPLOAD_REJECTED',
  StorageUnavailable: 'STORAGE_UNAVAILABLE',
  SubscriptionOverflow: 'SUBSCRIPTION_OVERFLOW',
  TooManySubscriptions: 'TOO_MANY_SUBSCRIPTIONS',
  NotFound: 'NOT_FOUND',
} as const;
export type GraphQLErrorCode = (typeof GraphQLErrorCode)[keyof typeof GraphQLErrorCode];

/**
 * The codes a client sees as thrown, with their message. Any other error is masked as INTERNAL_SERVER_ERROR,
 * and storage failures as STORAGE_UNAVAILABLE, by the error mask (src/graphql/error.mask.ts).
 */
export const CLIENT_ERROR_CODES: ReadonlySet<string> = new Set<GraphQLErrorCode>([
  GraphQLErrorCode.BadUserInput,
  GraphQLErrorCode.ParseFailed,
  GraphQLErrorCode.ValidationFailed,
  GraphQLErrorCode.BadRequest,
  GraphQLErrorCode.PersistedQueryNotFound,
  GraphQLErrorCode.PersistedQueryNotSupported,
  GraphQLErrorCode.OperationResolutionFailure,
  GraphQLErrorCode.InvalidCursor,
  GraphQLErrorCode.CursorExpired,
  GraphQLErrorCode.UploadRejected,
  GraphQLErrorCode.SubscriptionOverflow,
  GraphQLErrorCode.Unauthenticated,
  GraphQLErrorCode.Forbidden,
  GraphQLErrorCode.TooManySubscriptions,
  GraphQLErrorCode.NotFound,
]);

/** `extensions.limit` of a GRAPHQL_VALIDATION_FAILED: which document limit refused the operation. */
export const DocumentLimit = {
  MaxDepth: 'MAX_DEPTH',
  MaxAliases: 'MAX_ALIASES',
  MaxDirectives: 'MAX_DIRECTIVES',
  MaxCost: 'MAX_COST',
} as const;
export type DocumentLimit = (typeof DocumentLimit)[keyof typeof DocumentLimit];

/**
 * `code` of a REST refusal (`{ success: false, error, code, field? }`) from the device shim and the uploads,
 * also the `extensions.reason` of an UPLOAD_REJECTED. The LIMIT_* codes and MISSING_FIELD_NAME are multer's.
 */
export const RefusalCode = {
  InvalidField: 'INVALID_FIELD',
  EmptyBody: 'EMPTY_BODY',
  MalformedBody: 'MALFORMED_BODY',
  BodyTooLarge: 'BODY_TOO_LARGE',
  UnsupportedEncoding: 'UNSUPPORTED_ENCODING',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  NotFound: 'NOT_FOUND',
  NetworkNotAllowed: 'NETWORK_NOT_ALLOWED',
  DeviceKeyRequired: 'DEVICE_KEY_REQUIRED',
  DeviceKeyInvalid: 'DEVICE_KEY_INVALID',
  RateLimited: 'RATE_LIMITED',
  NewAmbulanceRateLimited: 'NEW_AMBULANCE_RATE_LIMITED',
  NoFiles: 'NO_FILES',
  TooManyFiles: 'TOO_MANY_FILES',
  NotAnImage: 'NOT_AN_IMAGE',
  FileTooLarge: 'FILE_TOO_LARGE',
  FileMappedTwice: 'FILE_MAPPED_TWICE',
  UploadCapacityExceeded: 'UPLOAD_CAPACITY_EXCEEDED',
  BodyTimeout: 'BODY_TIMEOUT',
  LimitFileSize: 'LIMIT_FILE_SIZE',
  LimitFileCount: 'LIMIT_FILE_COUNT',
  LimitFieldCount: 'LIMIT_FIELD_COUNT',
  LimitFieldValue: 'LIMIT_FIELD_VALUE',
  LimitFieldKey: 'LIMIT_FIELD_KEY',
  LimitPartCount: 'LIMIT_PART_COUNT',
  LimitUnexpectedFile: 'LIMIT_UNEXPECTED_FILE',
  MissingFieldName: 'MISSING_FIELD_NAME',
} as const;
export type RefusalCode = (typeof RefusalCode)[keyof typeof RefusalCode];

/** `code` of a device shim answer that is not a refusal of the request itself. */
export const IngestFailureCode = {
  StorageUnavailable: 'STORAGE_UNAVAILABLE',
  Internal: 'INTERNAL',
} as const;
export type IngestFailureCode = (typeof IngestFailureCode)[keyof typeof IngestFailureCode];

/** `extensions.code` of a 403 for an image URL under /uploads. */
export const UploadUrlCode = {
  Unsigned: 'UPLOAD_URL_UNSIGNED',
  Invalid: 'UPLOAD_URL_INVALID',
  Expired: 'UPLOAD_URL_EXPIRED',
} as const;
export type UploadUrlCode = (typeof UploadUrlCode)[keyof typeof UploadUrlCode];
