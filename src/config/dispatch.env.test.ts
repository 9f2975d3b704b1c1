import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './env.config.js';

describe('dispatch configuration', () => {
  it('has documented defaults', () => {
    const config = loadConfig({});
    assert.equal(config.PLACE_DWELL_SECONDS, 20);
    assert.equal(config.PLACE_EXIT_MARGIN_METERS, 30);
    assert.equal(config.STALE_AFTER_SECONDS, 60);
    assert.equal(config.OFFLINE_AFTER_SECONDS, 300);
    assert.equal(config.CONNECTIVITY_SWEEP_SECONDS, 10);
    assert.equal(config.ETA_AVERAGE_SPEED_KMH, 40);
  });

  it('refuses bad values and an offline threshold not above the stale one', () => {
    assert.throws(() => loadConfig({ PLACE_DWELL_SECONDS: '-1' }), /PLACE_DWELL_SECONDS/);
    assert.throws(() => loadConfig({ ETA_AVERAGE_SPEED_KMH: '0' }), /ETA_AVERAGE_SPEED_KMH/);
    assert.throws(
      () => loadConfig({ STALE_AFTER_SECONDS: '300', OFFLINE_AFTER_SECONDS: '300' }),
      (error) => error instanceof ConfigError && /OFFLINE_AFTER_SECONDS/.test(error.message),
    );
  });
});
