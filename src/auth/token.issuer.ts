import { decodeJwt, SignJWT } from 'jose';
import { isValidAmbulanceId } from '../domain/ambulance-id.js';
import { isRole, ROLES, type Role } from './principal.js';

export interface TokenRequest {
  readonly role: Role;
  /** Ambulance ids the token is limited to; undefined for every ambulance. */
  readonly ambulances?: readonly string[] | undefined;
  readonly subject?: string | undefined;
  /** A jose time span ("30m", "12h", "7d") or seconds. */
  readonly expiresIn: string | number;
  readonly issuer?: string | undefined;
  readonly audience?: string | undefined;
  /** The server's JWT_MAX_TOKEN_LIFETIME_SECONDS: a longer-lived token would be refused, so none is issued. */
  readonly maxLifetimeSeconds?: number | undefined;
}

export class TokenRequestError extends Error {
  override readonly name = 'TokenRequestError';
}

/** Checks what an operator asked for; throws TokenRequestError saying what to fix. */
export function tokenRequestOf(options: {
  role?: string | undefined;
  ambulances?: string | undefined;
  subject?: string | undefined;
  expiresIn?: string | undefined;
}): Omit<TokenRequest, 'issuer' | 'audience'> {
  if (!isRole(options.role)) throw new TokenRequestError(`--role must be one of ${ROLES.join(', ')}`);
  let ambulances: string[] | undefined;
  if (options.ambulances !== undefined) {
    ambulances = options.ambulances
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    const bad = ambulances.find((id) => !isValidAmbulanceId(id));
    if (bad !== undefined) throw new TokenRequestError(`--ambulances: "${bad}" is not an ambulance id`);
  }
  return { role: options.role, ambulances, subject: options.subject, expiresIn: options.expiresIn ?? '1h' };
}

/** An HS256 JWT the server accepts with the same secret (and issuer/audience when it checks them). */
export async function issueToken(secret: string, request: TokenRequest): Promise<string> {
  const claims: Record<string, unknown> = { role: request.role };
  if (request.ambulances) claims.ambulances = [...request.ambulances];
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt();
  if (request.subject) jwt.setSubject(request.subject);
  if (request.issuer) jwt.setIssuer(request.issuer);
  if (request.audience) jwt.setAudience(request.audience);
  try {
    jwt.setExpirationTime(
      typeof request.expiresIn === 'number' ? Math.floor(Date.now() / 1000) + request.expiresIn : request.expiresIn,
    );
  } catch {
    throw new TokenRequestError(`--expires-in "${request.expiresIn}" is not a time span such as 30m, 12h or 7d`);
  }
  const token = await jwt.sign(new TextEncoder().encode(secret));
  const { exp = 0, iat = 0 } = decodeJwt(token);
  if (request.maxLifetimeSeconds !== undefined && exp - iat > request.maxLifetimeSeconds) {
    throw new TokenRequestError(
      `--expires-in "${request.expiresIn}" is longer than the ${request.maxLifetimeSeconds} s the server accepts (JWT_MAX_TOKEN_LIFETIME_SECONDS)`,
    );
  }
  return token;
}
