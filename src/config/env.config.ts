import { z } from 'zod';
import { alertsEnv, checkAlertsConfig } from './alerts.env.js';
import { checkDispatchConfig, dispatchEnv } from './dispatch.env.js';
import { optionalFile, optionalString, positiveInt, wholeNumber } from './env.fields.js';
import { checkLegacySocketConfig, legacySocketEnv } from './legacy-socket.env.js';
import { checkSecurityConfig, securityEnv } from './security.env.js';
import { checkUploadUrlConfig, uploadUrlEnv } from './upload-url.env.js';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: optionalString,
  PORT: wholeNumber(5000, 0, 65535),
  MONGODB_URI: optionalString.pipe(
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
      .optional(),
  ),
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: positiveInt(2000),
  MONGODB_SOCKET_TIMEOUT_MS: positiveInt(15_000),
  MONGODB_MONITOR_COMMANDS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
  ),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  FERRETDB_BIN: optionalString,
  UPLOAD_DIR: z.string().trim().min(1).default('./uploads'),
  UPLOAD_MAX_FILE_BYTES: positiveInt(5 * 1024 * 1024),
  UPLOAD_MAX_FILES: positiveInt(10),
  UPLOAD_MAX_INFLIGHT_BYTES: positiveInt(64 * 1024 * 1024),
  UPLOAD_BODY_TIMEOUT_SECONDS: wholeNumber(30, 1, 3600),
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: wholeNumber(65, 1, 3600),
  INGEST_MAX_BODY_BYTES: positiveInt(16 * 1024),
  CRASH_DUPLICATE_WINDOW_SECONDS: wholeNumber(60, 0),
  GOOGLE_MAP_KEY: optionalString,
  HISTORY_MAX_PAGE_SIZE: positiveInt(500),
  HISTORY_DEFAULT_PAGE_SIZE: positiveInt(100),
  EVENT_CHANNEL_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]*$/, 'may contain only letters, digits, ":", "_" and "-"')
    .default('aoc:'),
  SUBSCRIPTION_QUEUE_LIMIT: positiveInt(500),
  WS_BATCH_ABOVE_MESSAGES_PER_SECOND: wholeNumber(0, 0),
  WS_BATCH_MAX_DELAY_MS: wholeNumber(10, 1, 100),
  STREAM_GAP_ABANDON_MS: wholeNumber(3000, 100, 600_000),
  STREAM_POLL_INTERVAL_MS: wholeNumber(1000, 50, 60_000),
  STREAM_REPLAY_PAGE_SIZE: wholeNumber(500, 1, 10_000),
  STREAM_RESUME_MAX_AGE_HOURS: wholeNumber(24, 0, 24 * 365),
  STREAM_RESERVE_POSITIONS: wholeNumber(256, 0, 100_000),
  STREAM_RESERVE_HOLD_MS: wholeNumber(100, 1, 10_000),
  STREAM_RESERVE_AFTER_MS: wholeNumber(5000, 0, 3_600_000),
  PUBLISH_OUTBOX_LIMIT: positiveInt(100_000),
  INGEST_BATCH_MAX: positiveInt(1000),
  INGEST_EPISODE_CACHE_SIZE: positiveInt(10_000),
  PROJECTION_INTERVAL_MS: wholeNumber(10_000, 0),
  DASHBOARD_STALE_AFTER_SECONDS: positiveInt(60),
  DASHBOARD_ALERT_LOOKBACK_MINUTES: wholeNumber(30, 0, 7 * 24 * 60),
  DASHBOARD_TILE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^https?:\/\/[^\s]*\{z\}[^\s]*\{x\}[^\s]*\{y\}/, 'must be an http(s) URL template with {z}, {x} and {y}')
      .optional(),
  ),
  DASHBOARD_TILE_ATTRIBUTION: optionalString,
  DASHBOARD_PMTILES_PATH: optionalFile,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_GRACE_SECONDS: wholeNumber(20, 1, 3600),
  READINESS_TIMEOUT_MS: wholeNumber(1000, 50, 30_000),
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  ...securityEnv,
  ...uploadUrlEnv,
  ...legacySocketEnv,
  ...dispatchEnv,
  ...alertsEnv,
});

/** Every environment variable the app reads (the deployment files are checked against this list). */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape) as ReadonlyArray<keyof z.infer<typeof envSchema>>;

export type AppConfig = Omit<z.infer<typeof envSchema>, 'HOST'> & { readonly HOST: string };

/**
 * Where the server listens when HOST is unset: every interface once GraphQL requires tokens, but only this
 * machine while it runs open (no JWT_SECRET, no JWT_JWKS_URL), where every caller would be a dispatcher.
 */
export function defaultHost(config: Pick<AppConfig, 'JWT_SECRET' | 'JWT_JWKS_URL'>): string {
  return config.JWT_SECRET || config.JWT_JWKS_URL ? '0.0.0.0' : '127.0.0.1';
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the environment; the error names every bad variable and what it expects. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // A variable set to nothing (`PORT=`) counts as unset and takes its default.
  const given = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const result = envSchema.safeParse(given);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(
      `Invalid configuration; fix these environment variables (see docs/configuration.md):\n${problems.join('\n')}`,
    );
  }
  if (result.data.HISTORY_DEFAULT_PAGE_SIZE > result.data.HISTORY_MAX_PAGE_SIZE) {
    throw new ConfigError('Invalid configuration: HISTORY_DEFAULT_PAGE_SIZE must not exceed HISTORY_MAX_PAGE_SIZE');
  }
  if (result.data.STREAM_RESERVE_HOLD_MS * 4 > result.data.STREAM_GAP_ABANDON_MS) {
    throw new ConfigError(
      'Invalid configuration: STREAM_RESERVE_HOLD_MS must be at most a quarter of STREAM_GAP_ABANDON_MS, or readers would give up positions taken ahead before their writer used them; lower it or raise STREAM_GAP_ABANDON_MS',
    );
  }
  const { UPLOAD_MAX_INFLIGHT_BYTES, UPLOAD_MAX_FILES, UPLOAD_MAX_FILE_BYTES } = result.data;
  if (UPLOAD_MAX_INFLIGHT_BYTES < UPLOAD_MAX_FILES * UPLOAD_MAX_FILE_BYTES) {
    throw new ConfigError(
      `Invalid configuration: UPLOAD_MAX_INFLIGHT_BYTES (${UPLOAD_MAX_INFLIGHT_BYTES}) must be at least UPLOAD_MAX_FILES × UPLOAD_MAX_FILE_BYTES (${UPLOAD_MAX_FILES * UPLOAD_MAX_FILE_BYTES}), or the largest upload could never be accepted; raise it or lower those`,
    );
  }
  const securityProblem =
    checkSecurityConfig(result.data) ??
    checkUploadUrlConfig(result.data) ??
    checkLegacySocketConfig(result.data) ??
    checkDispatchConfig(result.data) ??
    checkAlertsConfig(result.data);
  if (securityProblem) throw new ConfigError(`Invalid configuration: ${securityProblem}`);
  return { ...result.data, HOST: result.data.HOST ?? defaultHost(result.data) };
}
