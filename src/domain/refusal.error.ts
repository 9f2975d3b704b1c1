import { RefusalCode } from '../errors/error.codes.js';

/** A refusal a device integrator can act on: HTTP status, stable code and, when it applies, the field. */
export class RefusalError extends Error {
  override readonly name = 'RefusalError';
  constructor(
    readonly status: number,
    readonly code: RefusalCode,
    message: string,
    readonly field?: string,
    /** Extra response headers, such as Retry-After. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  toBody(): Record<string, unknown> {
    return { success: false, error: this.message, code: this.code, ...(this.field ? { field: this.field } : {}) };
  }
}

export const invalidField = (field: string, message: string) =>
  new RefusalError(400, RefusalCode.InvalidField, `${field} ${message}`, field);
