import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './env.config.js';

const SECRET = 'a-secret-that-is-at-least-32-characters';
const IDP = { JWT_ISSUER: 'https://id.example/', JWT_AUDIENCE: 'ambulance-tracking' };

function refused(env: NodeJS.ProcessEnv, pattern: RegExp): void {
  assert.throws(
    () => loadConfig(env),
    (error: unknown) => error instanceof ConfigError && pattern.test(error.message),
    JSON.stringify(env),
  );
}

describe('security configuration', () => {
  it('has safe defaults: open only outside production, no CORS, devices without credentials', () => {
    const config = loadConfig({});
    assert.equal(config.JWT_SECRET, undefined);
    assert.deepEqual(config.CORS_ORIGINS, []);
    assert.deepEqual(config.TRUST_PROXY, ['loopback']);
    assert.deepEqual(config.METRICS_ALLOWED_NETWORKS, ['loopback', 'linklocal', 'uniquelocal']);
    assert.deepEqual(config.INGEST_ALLOWED_NETWORKS, []);
    assert.deepEqual(config.INGEST_RESTRICT_NETWORKS, ['tracking', 'crash', 'snapshot']);
    assert.deepEqual(config.INGEST_REQUIRE_DEVICE_KEY, []);
    assert.equal(config.INGEST_RATE_LIMIT_PER_DEVICE, 600);
    assert.equal(config.GRAPHQL_MAX_DEPTH, 8);
    assert.equal(config.WS_MAX_PAYLOAD_BYTES, 65536);
  });

  it('bounds the largest WebSocket message: at most 16 MiB, saying which variable is out of range', () => {
    assert.equal(loadConfig({ WS_MAX_PAYLOAD_BYTES: String(16 * 1024 * 1024) }).WS_MAX_PAYLOAD_BYTES, 16_777_216);
    refused({ WS_MAX_PAYLOAD_BYTES: String(16 * 1024 * 1024 + 1) }, /WS_MAX_PAYLOAD_BYTES/);
    refused({ WS_MAX_PAYLOAD_BYTES: '0' }, /WS_MAX_PAYLOAD_BYTES/);
  });

  it('lets a device clock run at most 30 s ahead by default: a time further ahead is set aside', () => {
    assert.equal(loadConfig({}).INGEST_DEVICE_TIME_MAX_AHEAD_SECONDS, 30);
    assert.equal(loadConfig({ INGEST_DEVICE_TIME_MAX_AHEAD_SECONDS: '300' }).INGEST_DEVICE_TIME_MAX_AHEAD_SECONDS, 300);
  });

  it('refuses production without JWT_SECRET or JWT_JWKS_URL and says how to fix it', () => {
    refused({ NODE_ENV: 'production' }, /neither JWT_SECRET nor JWT_JWKS_URL is set.*openssl rand/s);
    assert.equal(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET }).JWT_SECRET, SECRET);
    const jwks = loadConfig({
      NODE_ENV: 'production',
      JWT_JWKS_URL: 'https://id.example/.well-known/jwks.json',
      ...IDP,
      // Image URLs need a key of their own when tokens come from an identity provider (upload-url.env.test.ts).
      UPLOAD_URL_SECRET: SECRET,
    });
    assert.equal(jwks.JWT_JWKS_URL, 'https://id.example/.well-known/jwks.json');
  });

  it('with JWT_JWKS_URL, requires JWT_ISSUER and JWT_AUDIENCE, saying what to set', () => {
    const url = 'https://id.example/.well-known/jwks.json';
    refused({ JWT_JWKS_URL: url }, /JWT_ISSUER and JWT_AUDIENCE are not.*Set JWT_ISSUER.*JWT_AUDIENCE to/s);
    refused({ JWT_JWKS_URL: url, JWT_ISSUER: IDP.JWT_ISSUER }, /but JWT_AUDIENCE is not.*the `aud` claim/s);
    refused({ JWT_JWKS_URL: url, JWT_AUDIENCE: IDP.JWT_AUDIENCE }, /but JWT_ISSUER is not/);
    const config = loadConfig({ JWT_JWKS_URL: url, ...IDP });
    assert.equal(config.JWT_ISSUER, IDP.JWT_ISSUER);
    assert.equal(config.JWT_AUDIENCE, IDP.JWT_AUDIENCE);
  });

  it('with JWT_JWKS_URL, requires https, allowing http only for localhost and 127.0.0.1 outside production', () => {
    for (const url of [
      'http://id.example/jwks.json',
      'http://10.0.0.5:8080/jwks.json',
      'http://localhost.example/jwks',
    ]) {
      refused({ JWT_JWKS_URL: url, ...IDP }, /JWT_JWKS_URL must be an https:\/\/ URL.*only for localhost/s);
    }
    for (const url of ['http://localhost:8080/jwks.json', 'http://127.0.0.1:9000/jwks.json']) {
      assert.equal(loadConfig({ NODE_ENV: 'development', JWT_JWKS_URL: url, ...IDP }).JWT_JWKS_URL, url);
      refused({ NODE_ENV: 'production', JWT_JWKS_URL: url, ...IDP }, /must be an https:\/\/ URL/);
    }
  });

  it('refuses a short secret (31 characters) and accepts 32', () => {
    refused({ JWT_SECRET: 'x'.repeat(31) }, /JWT_SECRET: must be at least 32 characters/);
    assert.equal(loadConfig({ JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET, 'x'.repeat(32));
  });

  it('reads lists of origins, networks and endpoints, and refuses bad entries naming the variable', () => {
    const config = loadConfig({
      CORS_ORIGINS: 'https://dispatch.example.org, http://localhost:5173',
      TRUST_PROXY: '10.0.0.0/8,loopback',
      INGEST_ALLOWED_NETWORKS: '192.168.1.0/24, 2001:db8::/32',
      INGEST_RESTRICT_NETWORKS: 'tracking,crash',
      INGEST_DEVICE_KEYS: '332:0123456789abcdef',
      INGEST_REQUIRE_DEVICE_KEY: 'all',
    });
    assert.deepEqual(config.CORS_ORIGINS, ['https://dispatch.example.org', 'http://localhost:5173']);
    assert.deepEqual(config.INGEST_ALLOWED_NETWORKS, ['192.168.1.0/24', '2001:db8::/32']);
    assert.deepEqual(config.INGEST_RESTRICT_NETWORKS, ['tracking', 'crash']);
    assert.deepEqual(config.INGEST_REQUIRE_DEVICE_KEY, ['tracking', 'crash', 'snapshot']);
    refused({ CORS_ORIGINS: '*' }, /CORS_ORIGINS/);
    refused({ CORS_ORIGINS: 'https://x.example/' }, /CORS_ORIGINS/);
    refused({ INGEST_ALLOWED_NETWORKS: '10.0.0.0/33' }, /INGEST_ALLOWED_NETWORKS/);
    refused({ TRUST_PROXY: 'everyone' }, /TRUST_PROXY/);
    refused(
      { INGEST_REQUIRE_DEVICE_KEY: 'tracking,upload', INGEST_DEVICE_KEYS: '332:0123456789abcdef' },
      /INGEST_REQUIRE_DEVICE_KEY/,
    );
    refused({ INGEST_DEVICE_KEYS: '332:short' }, /INGEST_DEVICE_KEYS/);
    refused({ JWT_JWKS_URL: 'ftp://id.example/jwks' }, /JWT_JWKS_URL/);
  });

  it('refuses requiring device keys when none are configured', () => {
    refused({ INGEST_REQUIRE_DEVICE_KEY: 'tracking' }, /no device keys are configured/);
    const config = loadConfig({ INGEST_REQUIRE_DEVICE_KEY: 'tracking', INGEST_DEVICE_KEYS_FILE: '/etc/aoc/keys' });
    assert.deepEqual(config.INGEST_REQUIRE_DEVICE_KEY, ['tracking']);
  });
});
