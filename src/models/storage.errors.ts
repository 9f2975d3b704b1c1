const UNAVAILABLE_ERROR_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoClientClosedError',
  'MongoServerClosedError',
  'MongoPoolClearedError',
  'MongoOperationTimeoutError',
]);

/** True when an error means the database could not be reached (answer 503), not that the request was wrong. */
export function isStorageUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (UNAVAILABLE_ERROR_NAMES.has(error.name)) return true;
  // A bulk write (insertMany, bulkWrite) wraps a driver failure without any per-document write error.
  if (error.name === 'MongoBulkWriteError') {
    const { writeErrors, code } = error as Error & { writeErrors?: unknown[]; code?: unknown };
    if ((writeErrors?.length ?? 0) === 0 && code === undefined) return true;
  }
  if (error.cause instanceof Error) return isStorageUnavailable(error.cause);
  // Mongoose refuses operations on a disconnected connection when command buffering is off.
  return error.name === 'MongooseError' && /connection|connect/i.test(error.message);
}

export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/**
 * For an unordered bulk insert that failed only because some documents' `_id`s were already stored: the
 * indexes of those documents (the others were stored). Null for any other failure.
 */
export function duplicateIndexesOf(error: unknown): number[] | null {
  const writeErrors = (error as { writeErrors?: unknown } | null)?.writeErrors;
  if (!Array.isArray(writeErrors) || writeErrors.length === 0) return null;
  if (!writeErrors.every(isDuplicateKeyError)) return null;
  return writeErrors.map((writeError: { index: number }) => writeError.index);
}
