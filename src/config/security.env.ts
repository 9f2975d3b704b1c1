import proxyaddr from 'proxy-addr';
import { z } from 'zod';
import { commaList, optionalString, positiveInt, splitCommas, wholeNumber } from './env.fields.js';

/** The device endpoints a guard can be switched on for, by these names. */
export const INGEST_ENDPOINTS = ['tracking', 'crash', 'snapshot'] as const;
export type IngestEndpoint = (typeof INGEST_ENDPOINTS)[number];

const isAddressList = (entries: readonly string[]) => {
  try {
    proxyaddr.compile([...entries]);
    return true;
  } catch {
    return false;
  }
};

/** Comma-separated addresses and ranges; `none` for an empty list. */
const addressList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) => (value.trim() === 'none' ? [] : splitCommas(value)))
    .refine(
      isAddressList,
      'must be none, or comma-separated IP addresses or CIDR ranges (such as 10.0.0.0/8), loopback, linklocal, uniquelocal',
    );

/** `none`, `all`, or a comma-separated list of tracking, crash, snapshot. */
const endpointList = (fallback: 'none' | 'all') =>
  z
    .string()
    .trim()
    .default(fallback)
    .transform((value) => (value === 'all' ? [...INGEST_ENDPOINTS] : value === 'none' ? [] : splitCommas(value)))
    .pipe(z.array(z.enum(INGEST_ENDPOINTS, { error: 'must be none, all, or a list of tracking, crash, snapshot' })));

const origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}, 'must be origins such as https://dispatch.example.org (scheme, host and port only; never *)');

/** `id:key` pairs, comma-separated. Keys are at least 16 characters and contain no comma. */
export const DEVICE_KEY_ENTRY = /^([A-Za-z0-9_-]{1,64}):(\S{16,})$/;

export const securityEnv = {
  JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  JWT_JWKS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^https?:\/\//, 'must be an http:// or https:// URL')
      .optional(),
  ),
  JWT_ISSUER: optionalString,
  JWT_AUDIENCE: optionalString,
  JWT_CLOCK_TOLERANCE_SECONDS: wholeNumber(5, 0, 300),
  JWT_MAX_TOKEN_LIFETIME_SECONDS: wholeNumber(24 * 3600, 60, 366 * 24 * 3600),
  CORS_ORIGINS: commaList(origin),
  TRUST_PROXY: addressList('loopback'),
  METRICS_ALLOWED_NETWORKS: addressList('loopback,linklocal,uniquelocal'),
  GRAPHQL_MAX_DEPTH: positiveInt(8),
  GRAPHQL_MAX_COST: positiveInt(100_000),
  GRAPHQL_MAX_ALIASES: wholeNumber(15, 0),
  GRAPHQL_MAX_DIRECTIVES: wholeNumber(20, 0),
  GRAPHQL_MAX_TOKENS: positiveInt(1000),
  // A subscribe message is a document of at most GRAPHQL_MAX_TOKENS tokens: kilobytes. 16 MiB is far past any.
  WS_MAX_PAYLOAD_BYTES: wholeNumber(64 * 1024, 1, 16 * 1024 * 1024),
  WS_CONNECTION_INIT_TIMEOUT_MS: positiveInt(3000),
  WS_MAX_SUBSCRIPTIONS: positiveInt(50),
  WS_MAX_MESSAGES_PER_MINUTE: positiveInt(600),
  WS_MAX_CONNECTIONS_PER_ADDRESS: wholeNumber(100, 0),
  WS_MAX_CONNECTIONS_PER_SUBJECT: wholeNumber(20, 0),
  INGEST_ALLOWED_NETWORKS: addressList(''),
  INGEST_RESTRICT_NETWORKS: endpointList('all'),
  INGEST_DEVICE_KEYS: commaList(z.string().regex(DEVICE_KEY_ENTRY, 'must be id:key pairs with keys of 16+ characters')),
  INGEST_DEVICE_KEYS_FILE: optionalString,
  INGEST_REQUIRE_DEVICE_KEY: endpointList('none'),
  INGEST_RATE_LIMIT_PER_DEVICE: wholeNumber(600, 0),
  INGEST_RATE_LIMIT_PER_ADDRESS: wholeNumber(30_000, 0),
  INGEST_NEW_AMBULANCES_PER_ADDRESS_PER_HOUR: wholeNumber(60, 0),
  INGEST_DEVICE_TIME_MAX_AGE_HOURS: positiveInt(24 * 7),
  INGEST_DEVICE_TIME_MAX_AHEAD_SECONDS: wholeNumber(30, 0),
};

interface SecuritySettings {
  readonly NODE_ENV: string;
  readonly JWT_SECRET?: string | undefined;
  readonly JWT_JWKS_URL?: string | undefined;
  readonly JWT_ISSUER?: string | undefined;
  readonly JWT_AUDIENCE?: string | undefined;
  readonly INGEST_REQUIRE_DEVICE_KEY: readonly string[];
  readonly INGEST_DEVICE_KEYS: readonly string[];
  readonly INGEST_DEVICE_KEYS_FILE?: string | undefined;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/**
 * Rules for an identity provider's keys: tokens must be bound to it and to this API (an identity provider signs
 * tokens for many applications), and its keys must come over TLS (plain http only from this machine in development).
 */
function checkJwksConfig(config: SecuritySettings): string | null {
  if (!config.JWT_JWKS_URL) return null;
  const missing = (['JWT_ISSUER', 'JWT_AUDIENCE'] as const).filter((name) => !config[name]);
  if (missing.length > 0) {
    return (
      `JWT_JWKS_URL is set but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not: the identity ` +
      'provider signs tokens for other applications too, so only tokens issued by it for this API may be accepted. ' +
      "Set JWT_ISSUER to the provider's issuer (the `iss` claim of its tokens, e.g. https://id.example.org/) and " +
      "JWT_AUDIENCE to the audience it issues this API's tokens for (the `aud` claim). See docs/security.md."
    );
  }
  const url = new URL(config.JWT_JWKS_URL);
  const localDevelopment = LOCAL_HOSTS.has(url.hostname) && config.NODE_ENV !== 'production';
  if (url.protocol !== 'https:' && !localDevelopment) {
    return (
      'JWT_JWKS_URL must be an https:// URL: keys fetched over plain http can be replaced on the way, and with them ' +
      "anyone could sign tokens. Use the provider's https:// JWKS address (http:// is accepted only for localhost " +
      'or 127.0.0.1 outside production).'
    );
  }
  return null;
}

/** Rules across variables; returns what to fix, or null. */
export function checkSecurityConfig(config: SecuritySettings): string | null {
  const jwksProblem = checkJwksConfig(config);
  if (jwksProblem) return jwksProblem;
  if (config.NODE_ENV === 'production' && !config.JWT_SECRET && !config.JWT_JWKS_URL) {
    return (
      'NODE_ENV is production but neither JWT_SECRET nor JWT_JWKS_URL is set, so the GraphQL API would be open ' +
      'to anyone. Set JWT_SECRET to a random secret of at least 32 characters (for example the output of ' +
      '`openssl rand -base64 48`) and issue tokens with `npm run token`, or set JWT_JWKS_URL to your identity ' +
      "provider's JWKS address. See docs/security.md."
    );
  }
  if (
    config.INGEST_REQUIRE_DEVICE_KEY.length > 0 &&
    config.INGEST_DEVICE_KEYS.length === 0 &&
    !config.INGEST_DEVICE_KEYS_FILE
  ) {
    return (
      'INGEST_REQUIRE_DEVICE_KEY is set but no device keys are configured: set INGEST_DEVICE_KEYS ' +
      '(id:key,id:key) or INGEST_DEVICE_KEYS_FILE (a file of id:key lines), or set INGEST_REQUIRE_DEVICE_KEY=none.'
    );
  }
  return null;
}
