import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { averageSpeedEta } from './eta.estimate.js';

describe('ETA estimate', () => {
  it('divides the distance by the average speed, in whole seconds', () => {
    const eta = averageSpeedEta(36);
    const here = { latitude: 0, longitude: 0 };
    assert.equal(eta.etaSeconds(here, here, 1000), 100);
    assert.equal(eta.etaSeconds(here, here, 0), 0);
    assert.equal(averageSpeedEta(72).etaSeconds(here, here, 1000), 50);
  });
});
