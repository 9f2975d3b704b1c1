import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './env.config.js';

const SECRET = 'x'.repeat(40);

describe('legacy socket configuration', () => {
  it('is off unless LEGACY_SOCKET_PORT is set, with limits by default', () => {
    const config = loadConfig({});
    assert.equal(config.LEGACY_SOCKET_PORT, undefined);
    assert.equal(config.LEGACY_SOCKET_ALLOW_ANONYMOUS, false);
    assert.equal(config.LEGACY_SOCKET_MAX_ROOMS_PER_SOCKET, 200);
    assert.equal(config.LEGACY_SOCKET_MAX_CONNECTIONS_PER_ADDRESS, 50);
    assert.equal(config.LEGACY_SOCKET_MAX_MESSAGE_BYTES, 16 * 1024);
    assert.equal(config.LEGACY_SOCKET_MAX_PENDING_MESSAGES, 1000);
    assert.equal(loadConfig({ LEGACY_SOCKET_PORT: '5050', JWT_SECRET: SECRET }).LEGACY_SOCKET_PORT, 5050);
    // `off` switches it off where a deployment sets a default (docker-compose.yml: 5050).
    assert.equal(loadConfig({ LEGACY_SOCKET_PORT: 'off' }).LEGACY_SOCKET_PORT, undefined);
  });

  it('refuses bad values, naming the variable', () => {
    for (const [name, value] of [
      ['LEGACY_SOCKET_PORT', 'abc'],
      ['LEGACY_SOCKET_PORT', '70000'],
      ['LEGACY_SOCKET_ALLOW_ANONYMOUS', 'yes'],
      ['LEGACY_SOCKET_MAX_ROOMS_PER_SOCKET', '0'],
      ['LEGACY_SOCKET_MAX_MESSAGE_BYTES', '10'],
    ] as const) {
      assert.throws(
        () => loadConfig({ JWT_SECRET: SECRET, [name]: value }),
        (error: Error) => {
          return error instanceof ConfigError && error.message.includes(name);
        },
      );
    }
    assert.throws(
      () => loadConfig({ JWT_SECRET: SECRET, PORT: '5050', LEGACY_SOCKET_PORT: '5050' }),
      /port of its own/,
    );
  });

  it('running without tokens needs LEGACY_SOCKET_ALLOW_ANONYMOUS=true, in production too', () => {
    assert.throws(() => loadConfig({ LEGACY_SOCKET_PORT: '5050' }), /LEGACY_SOCKET_ALLOW_ANONYMOUS=true/);
    assert.equal(
      loadConfig({ LEGACY_SOCKET_PORT: '5050', LEGACY_SOCKET_ALLOW_ANONYMOUS: 'true' }).LEGACY_SOCKET_ALLOW_ANONYMOUS,
      true,
    );
    // Production without a JWT_SECRET is refused whatever the legacy settings (the GraphQL API would be open too).
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', LEGACY_SOCKET_PORT: '5050', LEGACY_SOCKET_ALLOW_ANONYMOUS: 'true' }),
      ConfigError,
    );
    const production = loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, LEGACY_SOCKET_PORT: '5050' });
    assert.equal(production.LEGACY_SOCKET_ALLOW_ANONYMOUS, false, 'tokens required unless set');
  });
});
