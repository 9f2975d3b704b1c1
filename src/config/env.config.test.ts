import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './env.config.js';

function assertConfigError(env: NodeJS.ProcessEnv, variable: string): void {
  assert.throws(
    () => loadConfig(env),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
      assert.equal(error.name, 'ConfigError');
      assert.ok(error.message.includes(variable), `message should name ${variable}: ${error.message}`);
      return true;
    },
  );
}

describe('loadConfig', () => {
  it('applies defaults to an empty environment', () => {
    const config = loadConfig({});
    assert.equal(config.NODE_ENV, 'development');
    assert.equal(config.HOST, '127.0.0.1', 'open mode (no JWT_SECRET, no JWT_JWKS_URL) listens on this machine only');
    assert.equal(config.PORT, 5000);
    assert.equal(config.MONGODB_URI, undefined);
    assert.equal(config.REDIS_URL, undefined);
    assert.equal(config.MONGODB_SERVER_SELECTION_TIMEOUT_MS, 2000);
    assert.equal(config.DATA_DIR, './data');
    assert.equal(config.UPLOAD_DIR, './uploads');
    assert.equal(config.UPLOAD_MAX_FILE_BYTES, 5 * 1024 * 1024);
    assert.equal(config.UPLOAD_MAX_FILES, 10);
    assert.equal(config.INGEST_MAX_BODY_BYTES, 16 * 1024);
    assert.equal(config.CRASH_DUPLICATE_WINDOW_SECONDS, 60);
    assert.equal(config.HISTORY_MAX_PAGE_SIZE, 500);
    assert.equal(config.HISTORY_DEFAULT_PAGE_SIZE, 100);
    assert.equal(config.EVENT_CHANNEL_PREFIX, 'aoc:');
    assert.equal(config.SUBSCRIPTION_QUEUE_LIMIT, 500);
    assert.equal(config.PUBLISH_OUTBOX_LIMIT, 100_000);
    assert.equal(config.INGEST_BATCH_MAX, 1000);
    assert.equal(config.LOG_LEVEL, 'info');
    assert.equal(config.GOOGLE_MAP_KEY, undefined);
    assert.equal(config.FERRETDB_BIN, undefined);
  });

  it('coerces numeric strings to numbers', () => {
    const config = loadConfig({
      PORT: '8080',
      UPLOAD_MAX_FILES: '3',
      HISTORY_MAX_PAGE_SIZE: '1000',
      HISTORY_DEFAULT_PAGE_SIZE: '1000',
      CRASH_DUPLICATE_WINDOW_SECONDS: '0',
      SUBSCRIPTION_QUEUE_LIMIT: ' 7 ',
    });
    assert.equal(config.PORT, 8080);
    assert.equal(config.UPLOAD_MAX_FILES, 3);
    assert.equal(config.HISTORY_MAX_PAGE_SIZE, 1000);
    assert.equal(config.HISTORY_DEFAULT_PAGE_SIZE, 1000);
    assert.equal(config.CRASH_DUPLICATE_WINDOW_SECONDS, 0);
    assert.equal(config.SUBSCRIPTION_QUEUE_LIMIT, 7);
  });

  it('accepts valid URLs and values', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-32-characters-or-more',
      MONGODB_URI: 'mongodb://db:27017/aoc',
      REDIS_URL: 'rediss://cache:6380',
      EVENT_CHANNEL_PREFIX: 'prod_1-x:',
      LOG_LEVEL: 'silent',
      GOOGLE_MAP_KEY: ' key ',
    });
    assert.equal(config.NODE_ENV, 'production');
    assert.equal(config.MONGODB_URI, 'mongodb://db:27017/aoc');
    assert.equal(config.REDIS_URL, 'rediss://cache:6380');
    assert.equal(config.EVENT_CHANNEL_PREFIX, 'prod_1-x:');
    assert.equal(config.LOG_LEVEL, 'silent');
    assert.equal(config.GOOGLE_MAP_KEY, 'key');
    assert.equal(
      loadConfig({ MONGODB_URI: 'mongodb+srv://cluster.example/aoc' }).MONGODB_URI,
      'mongodb+srv://cluster.example/aoc',
    );
    assert.equal(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).REDIS_URL, 'redis://127.0.0.1:6379');
  });

  it('listens on every interface by default once GraphQL requires tokens, and on HOST whenever it is set', () => {
    const secret = 's'.repeat(32);
    assert.equal(loadConfig({ JWT_SECRET: secret }).HOST, '0.0.0.0');
    assert.equal(
      loadConfig({
        JWT_JWKS_URL: 'https://id.example.com/.well-known/jwks.json',
        JWT_ISSUER: 'https://id.example.com/',
        JWT_AUDIENCE: 'aoc',
      }).HOST,
      '0.0.0.0',
    );
    assert.equal(loadConfig({ HOST: '0.0.0.0' }).HOST, '0.0.0.0', 'open mode on all interfaces only when asked for');
    assert.equal(loadConfig({ HOST: '::' }).HOST, '::');
    assert.equal(loadConfig({ JWT_SECRET: secret, HOST: '127.0.0.1' }).HOST, '127.0.0.1');
    assert.equal(loadConfig({ JWT_SECRET: secret, HOST: ' 10.0.0.5 ' }).HOST, '10.0.0.5');
  });

  it('treats any variable set to nothing as unset, so it takes its default', () => {
    const config = loadConfig({ PORT: '', HOST: '  ', EVENT_CHANNEL_PREFIX: '', UPLOAD_MAX_FILES: ' ' });
    assert.equal(config.PORT, 5000);
    assert.equal(config.HOST, '127.0.0.1');
    assert.equal(config.EVENT_CHANNEL_PREFIX, 'aoc:');
    assert.equal(config.UPLOAD_MAX_FILES, 10);
  });

  it('treats empty or blank optional strings as unset', () => {
    const config = loadConfig({ MONGODB_URI: '', REDIS_URL: '   ', GOOGLE_MAP_KEY: '', FERRETDB_BIN: ' ' });
    assert.equal(config.MONGODB_URI, undefined);
    assert.equal(config.REDIS_URL, undefined);
    assert.equal(config.GOOGLE_MAP_KEY, undefined);
    assert.equal(config.FERRETDB_BIN, undefined);
  });

  it('ignores unrelated environment variables', () => {
    const config = loadConfig({ PATH: '/usr/bin', HOME: '/root' }) as Record<string, unknown>;
    assert.equal(config.PATH, undefined);
    assert.equal(config.HOME, undefined);
  });

  const invalid: Array<[string, NodeJS.ProcessEnv]> = [
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '-1' }],
    ['PORT', { PORT: '80.5' }],
    ['MONGODB_URI', { MONGODB_URI: 'http://x' }],
    ['MONGODB_URI', { MONGODB_URI: 'localhost:27017' }],
    ['REDIS_URL', { REDIS_URL: 'foo' }],
    ['REDIS_URL', { REDIS_URL: 'http://cache:6379' }],
    ['EVENT_CHANNEL_PREFIX', { EVENT_CHANNEL_PREFIX: 'aoc*' }],
    ['EVENT_CHANNEL_PREFIX', { EVENT_CHANNEL_PREFIX: 'a?' }],
    ['EVENT_CHANNEL_PREFIX', { EVENT_CHANNEL_PREFIX: 'a[b]' }],
    ['EVENT_CHANNEL_PREFIX', { EVENT_CHANNEL_PREFIX: 'a b' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'nope' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
    ['UPLOAD_MAX_FILES', { UPLOAD_MAX_FILES: '0' }],
    ['UPLOAD_MAX_FILE_BYTES', { UPLOAD_MAX_FILE_BYTES: '-5' }],
    ['SUBSCRIPTION_QUEUE_LIMIT', { SUBSCRIPTION_QUEUE_LIMIT: 'lots' }],
    ['CRASH_DUPLICATE_WINDOW_SECONDS', { CRASH_DUPLICATE_WINDOW_SECONDS: '-1' }],
    ['PORT', { PORT: '0x50' }],
    ['PORT', { PORT: '1e3' }],
    ['UPLOAD_MAX_FILES', { UPLOAD_MAX_FILES: '2.5' }],
    ['HISTORY_DEFAULT_PAGE_SIZE', { HISTORY_DEFAULT_PAGE_SIZE: '501' }],
    ['HISTORY_DEFAULT_PAGE_SIZE', { HISTORY_MAX_PAGE_SIZE: '50', HISTORY_DEFAULT_PAGE_SIZE: '51' }],
  ];
  for (const [variable, env] of invalid) {
    it(`rejects ${JSON.stringify(env)}, naming ${variable}`, () => {
      assertConfigError(env, variable);
    });
  }

  it('names every bad variable at once', () => {
    assert.throws(
      () => loadConfig({ PORT: '70000', REDIS_URL: 'foo', LOG_LEVEL: 'nope' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.includes('PORT') &&
        error.message.includes('REDIS_URL') &&
        error.message.includes('LOG_LEVEL'),
    );
  });

  it('a default page size equal to the maximum is fine', () => {
    const config = loadConfig({ HISTORY_MAX_PAGE_SIZE: '100', HISTORY_DEFAULT_PAGE_SIZE: '100' });
    assert.equal(config.HISTORY_DEFAULT_PAGE_SIZE, 100);
  });
});
