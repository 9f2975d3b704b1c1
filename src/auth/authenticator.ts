import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyOptions,
  jwtVerify,
} from 'jose';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/env.config.js';
import { AuthenticationFailure } from './auth.errors.js';
import { OPEN_MODE_PRINCIPAL, type Principal } from './principal.js';
import { principalFromClaims } from './token.claims.js';

export interface AuthSettings {
  /** HS256 secret; tokens signed with it are accepted. */
  readonly secret?: string | undefined;
  /** JWKS address of an identity provider; tokens signed with its (asymmetric) keys are accepted. */
  readonly jwksUrl?: string | undefined;
  readonly issuer?: string | undefined;
  readonly audience?: string | undefined;
  readonly clockToleranceSeconds: number;
  /** Longest lifetime accepted: exp − iat, or exp − now for a token without iat (JWT_MAX_TOKEN_LIFETIME_SECONDS). */
  readonly maxTokenLifetimeSeconds?: number | undefined;
}

/** The default of JWT_MAX_TOKEN_LIFETIME_SECONDS. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

/** Far above any real token; bounds the work an oversized header can cause. */
const MAX_TOKEN_LENGTH = 8192;
const BEARER = /^Bearer[ \t]+([A-Za-z0-9_.~+/=-]+)[ \t]*$/i;
const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** Why a verified-looking token was refused, in words an integrator can act on (never the token itself). */
function describeFailure(error: unknown): string {
  if (error instanceof AuthenticationFailure) return error.message;
  if (error instanceof errors.JWTExpired) return 'token expired; get a new one';
  if (error instanceof errors.JWTClaimValidationFailed) return `token claim "${error.claim}" is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature is not valid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token algorithm is not accepted';
  if (error instanceof errors.JWKSNoMatchingKey) return 'token was signed with an unknown key';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return 'token keys could not be fetched; retry later';
  }
  return 'token is malformed';
}

/**
 * Verifies bearer tokens (JWT: HS256 with the shared secret, or the identity provider's keys from a JWKS)
 * and turns them into principals. With neither configured it runs open: every caller is a dispatcher and
 * tokens are ignored (refused at start-up when NODE_ENV=production; see checkSecurityConfig).
 */
export class Authenticator {
  readonly open: boolean;
  private readonly secret: Uint8Array | null;
  private readonly jwks: ReturnType<typeof createRemoteJWKSet> | null;
  private readonly options: JWTVerifyOptions;
  private readonly maxLifetimeSeconds: number;

  constructor(
    settings: AuthSettings,
    private readonly logger?: Logger,
  ) {
    this.secret = settings.secret ? new TextEncoder().encode(settings.secret) : null;
    this.jwks = settings.jwksUrl ? createRemoteJWKSet(new URL(settings.jwksUrl)) : null;
    this.open = !this.secret && !this.jwks;
    this.maxLifetimeSeconds = settings.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
    this.options = {
      clockTolerance: settings.clockToleranceSeconds,
      requiredClaims: ['exp'],
      ...(settings.issuer ? { issuer: settings.issuer } : {}),
      ...(settings.audience ? { audience: settings.audience } : {}),
    };
  }

  /** The clock skew allowed on `exp`, in milliseconds. */
  clockToleranceMs(): number {
    return Number(this.options.clockTolerance ?? 0) * 1000;
  }

  /** The caller of an `Authorization` value (`Bearer <jwt>`); throws AuthenticationFailure when unusable. */
  async authenticate(authorization: unknown): Promise<Principal> {
    if (this.open) return OPEN_MODE_PRINCIPAL;
    if (authorization === undefined || authorization === null || authorization === '') {
      throw new AuthenticationFailure('a bearer token is required: send "Authorization: Bearer <token>"');
    }
    const match = typeof authorization === 'string' ? BEARER.exec(authorization) : null;
    const token = match?.[1];
    if (!token || token.length > MAX_TOKEN_LENGTH) {
      throw new AuthenticationFailure('the authorization must be "Bearer <token>"');
    }
    return this.verify(token);
  }

  async verify(token: string): Promise<Principal> {
    try {
      const payload = await this.verifyPayload(token);
      this.checkLifetime(payload);
      return principalFromClaims(payload);
    } catch (error) {
      const reason = describeFailure(error);
      this.logger?.debug({ reason }, 'token refused');
      throw new AuthenticationFailure(reason);
    }
  }

  /**
   * A verified token may still live too long (a leaked token far from expiry): its lifetime counts from iat,
   * or from now when iat is missing or in the future, so neither can stretch it.
   */
  private checkLifetime(payload: JWTPayload): void {
    const now = Math.floor(Date.now() / 1000);
    const issuedAt = typeof payload.iat === 'number' ? Math.min(payload.iat, now) : now;
    const lifetime = (payload.exp as number) - issuedAt;
    if (lifetime > this.maxLifetimeSeconds + Number(this.options.clockTolerance ?? 0)) {
      throw new AuthenticationFailure(
        `token lifetime (exp - iat) of ${lifetime} s is longer than the ${this.maxLifetimeSeconds} s accepted ` +
          '(JWT_MAX_TOKEN_LIFETIME_SECONDS); get a shorter-lived token',
      );
    }
  }

  private async verifyPayload(token: string): Promise<JWTPayload> {
    const { alg } = decodeProtectedHeader(token);
    if (alg === 'HS256' && this.secret) {
      return (await jwtVerify(token, this.secret, { ...this.options, algorithms: ['HS256'] })).payload;
    }
    if (alg && alg !== 'HS256' && this.jwks) {
      return (await jwtVerify(token, this.jwks, { ...this.options, algorithms: ASYMMETRIC_ALGORITHMS })).payload;
    }
    throw new errors.JOSEAlgNotAllowed(`algorithm ${String(alg)} not accepted`);
  }
}

/** The authenticator the configuration asks for; says loudly in the log when the API runs open. */
export function authenticatorFor(
  config: Pick<
    AppConfig,
    | 'JWT_SECRET'
    | 'JWT_JWKS_URL'
    | 'JWT_ISSUER'
    | 'JWT_AUDIENCE'
    | 'JWT_CLOCK_TOLERANCE_SECONDS'
    | 'JWT_MAX_TOKEN_LIFETIME_SECONDS'
    | 'NODE_ENV'
  >,
  logger: Logger,
): Authenticator {
  const authenticator = new Authenticator(
    {
      secret: config.JWT_SECRET,
      jwksUrl: config.JWT_JWKS_URL,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      clockToleranceSeconds: config.JWT_CLOCK_TOLERANCE_SECONDS,
      maxTokenLifetimeSeconds: config.JWT_MAX_TOKEN_LIFETIME_SECONDS,
    },
    logger,
  );
  if (authenticator.open) {
    logger.warn(
      { nodeEnv: config.NODE_ENV },
      '*** GraphQL API RUNS OPEN: no JWT_SECRET or JWT_JWKS_URL is set, so every caller is treated as a ' +
        'dispatcher and can read every ambulance. Never expose this server. Set JWT_SECRET (see README "Security"). ***',
    );
  } else {
    logger.info(
      { hs256: Boolean(config.JWT_SECRET), jwks: Boolean(config.JWT_JWKS_URL) },
      'GraphQL requires bearer tokens',
    );
  }
  return authenticator;
}
