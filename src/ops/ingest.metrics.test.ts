import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ingestEndpointOf } from './ingest.metrics.js';

describe('ingestEndpointOf', () => {
  it('labels the device endpoints as devices spell them, with a query string or a trailing slash', () => {
    assert.equal(ingestEndpointOf('/api/tracking/postAmbulanceTracking'), 'tracking');
    assert.equal(ingestEndpointOf('/api/tracking/postAmbulanceTracking?x=1'), 'tracking');
    assert.equal(ingestEndpointOf('/api/tracking/postAmbulanceTracking/'), 'tracking');
    assert.equal(ingestEndpointOf('/api/crash/postAmbulanceCrashNotify'), 'crash');
    assert.equal(ingestEndpointOf('/api/snapshot/postAmbulanceImageUpload'), 'snapshot');
    assert.equal(ingestEndpointOf('/error_codes'), 'error_codes');
    assert.equal(ingestEndpointOf('/'), 'home');
    assert.equal(ingestEndpointOf('/?ping'), 'home');
  });

  it('matches any case, as the legacy routes do', () => {
    assert.equal(ingestEndpointOf('/API/TRACKING/POSTAMBULANCETRACKING'), 'tracking');
    assert.equal(ingestEndpointOf('/Error_Codes/'), 'error_codes');
  });

  it('puts everything else in one label, so paths never become series', () => {
    assert.equal(ingestEndpointOf('/api/tracking/postAmbulanceTrackingX'), 'other');
    assert.equal(ingestEndpointOf('/api/unknown/12345'), 'other');
    assert.equal(ingestEndpointOf('/api/tracking'), 'other');
  });
});
