import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './env.config.js';

const SECRET = 'a-secret-of-at-least-32-characters-0123';
const JWKS_URL = 'https://id.example/.well-known/jwks.json';

describe('image URL configuration', () => {
  it('defaults to unsigned (open mode) and an hour, and checks the TTL range and secret length', () => {
    const defaults = loadConfig({});
    assert.deepEqual([defaults.UPLOAD_URL_SECRET, defaults.UPLOAD_URL_TTL_SECONDS], [undefined, 3600]);
    assert.equal(loadConfig({ UPLOAD_URL_TTL_SECONDS: '60' }).UPLOAD_URL_TTL_SECONDS, 60);
    assert.throws(() => loadConfig({ UPLOAD_URL_TTL_SECONDS: '59' }), /UPLOAD_URL_TTL_SECONDS/);
    assert.throws(() => loadConfig({ UPLOAD_URL_TTL_SECONDS: '604801' }), /UPLOAD_URL_TTL_SECONDS/);
    assert.throws(() => loadConfig({ UPLOAD_URL_SECRET: 'short' }), /UPLOAD_URL_SECRET: must be at least 32/);
  });

  // JWKS mode also requires the issuer and audience (security.env.ts).
  const IDENTITY_PROVIDER = { JWT_ISSUER: 'https://id.example/', JWT_AUDIENCE: 'ambulance-tracking' };

  it('production needs a key for image URLs: JWT_SECRET or UPLOAD_URL_SECRET, not only a JWKS address', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', JWT_JWKS_URL: JWKS_URL, ...IDENTITY_PROVIDER }),
      /neither UPLOAD_URL_SECRET nor JWT_SECRET.*openssl rand -hex 32/s,
    );
    const own = loadConfig({
      NODE_ENV: 'production',
      JWT_JWKS_URL: JWKS_URL,
      ...IDENTITY_PROVIDER,
      UPLOAD_URL_SECRET: SECRET,
    });
    assert.equal(own.UPLOAD_URL_SECRET, SECRET);
    assert.equal(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET }).UPLOAD_URL_SECRET, undefined);
  });
});
