import { AuthenticationFailure } from '../auth/auth.errors.js';

/** The WebSocket protocol's limit on a close reason, in UTF-8 bytes. */
export const MAX_CLOSE_REASON_BYTES = 123;

/**
 * The reason of a 4403 close, from why the token was refused: "Forbidden: token expired". Only the first clause
 * of an AuthenticationFailure's message (its advice is about HTTP headers), cut to fit a close frame; anything
 * else gives a bare "Forbidden", as it may carry internals.
 */
export function forbiddenCloseReason(error: unknown): string {
  if (!(error instanceof AuthenticationFailure)) return 'Forbidden';
  const [clause = ''] = error.message.split(/[;:]/, 1);
  let reason = `Forbidden: ${clause.trim()}`;
  while (Buffer.byteLength(reason, 'utf8') > MAX_CLOSE_REASON_BYTES) reason = reason.slice(0, -1);
  return reason;
}
