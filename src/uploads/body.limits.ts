import { RefusalError } from '../domain/refusal.error.js';
import type { RefusalCode } from '../errors/error.codes.js';

export interface BodyLimits {
  readonly maxBodyBytes: number;
  readonly maxFileBytes: number;
  readonly maxFiles: number;
}

export const MAX_FIELDS = 20;
export const MAX_FIELD_BYTES = 1024;

const LIMIT_ERRORS: Partial<Record<RefusalCode, { status: number; message: (limits: BodyLimits) => string }>> = {
  LIMIT_FILE_SIZE: { status: 413, message: (l) => `each file may be at most ${l.maxFileBytes} bytes` },
  LIMIT_FILE_COUNT: { status: 413, message: (l) => `at most ${l.maxFiles} files per request` },
  LIMIT_FIELD_COUNT: { status: 413, message: () => `at most ${MAX_FIELDS} form fields per request` },
  LIMIT_FIELD_VALUE: { status: 413, message: () => `each form field may be at most ${MAX_FIELD_BYTES} bytes` },
  LIMIT_FIELD_KEY: { status: 400, message: () => 'a form field name is too long' },
  LIMIT_PART_COUNT: { status: 413, message: () => 'too many parts in the multipart body' },
  LIMIT_UNEXPECTED_FILE: { status: 400, message: () => 'this endpoint takes no files' },
};

/** A multipart limit refusal, with the same codes and messages for multer's and the upload spool's limits. */
export function limitError(
  code: RefusalCode,
  limits: BodyLimits,
  field?: string,
  fallback: string = code,
): RefusalError {
  const known = LIMIT_ERRORS[code];
  return new RefusalError(known?.status ?? 400, code, known?.message(limits) ?? fallback, field);
}
