import { AuthenticationFailure } from '../auth/auth.errors.js';
import type { Authenticator } from '../auth/authenticator.js';
import { type Principal, Role } from '../auth/principal.js';
import { type LegacySocketError, LegacySocketErrorCode } from './legacy-socket.errors.js';

/** Roles that may read live events (the GraphQL subscriptions' `@Authorized(...READERS)`). */
const READING_ROLES: ReadonlySet<Role> = new Set([Role.Dispatcher, Role.Partner]);

/** An unmodified legacy dashboard (no token) when LEGACY_SOCKET_ALLOW_ANONYMOUS=true: reads the fleet, as before. */
export const ANONYMOUS_LEGACY_PRINCIPAL: Principal = Object.freeze({
  role: Role.Partner,
  ambulances: null,
  subject: 'anonymous legacy dashboard',
  expiresAt: null,
  open: true,
});

export interface Handshake {
  readonly auth: Record<string, unknown>;
  readonly query: Record<string, unknown>;
}

/** The token from `io(url, { auth: { token } })` or, for clients that cannot send `auth` (Socket.IO 2), `?token=`. */
export function tokenOf(handshake: Handshake): string | undefined {
  const candidate = handshake.auth.token ?? handshake.query.token;
  if (typeof candidate !== 'string' || candidate.trim() === '') return undefined;
  const token = candidate.trim();
  return /^bearer\s/i.test(token) ? token : `Bearer ${token}`;
}

/** The caller of a legacy socket, or why it is refused. */
export async function legacyPrincipalOf(
  handshake: Handshake,
  authenticator: Authenticator,
  allowAnonymous: boolean,
): Promise<{ readonly principal: Principal } | { readonly error: LegacySocketError }> {
  const authorization = tokenOf(handshake);
  if (authorization === undefined && allowAnonymous) return { principal: ANONYMOUS_LEGACY_PRINCIPAL };
  let principal: Principal;
  try {
    principal = await authenticator.authenticate(authorization);
  } catch (error) {
    if (!(error instanceof AuthenticationFailure)) throw error;
    const message =
      authorization === undefined
        ? 'a token is required: connect with io(url, { auth: { token } }) or ?token=<token>'
        : error.message;
    return { error: { code: LegacySocketErrorCode.Unauthenticated, message } };
  }
  if (!READING_ROLES.has(principal.role)) {
    return {
      error: { code: LegacySocketErrorCode.Forbidden, message: `the ${principal.role} role may not read live events` },
    };
  }
  return { principal };
}
