import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ConnectionState, connectionView, OFFLINE_AFTER_MS, withLinkStatus } from './connection.view.js';

const time = (ms: number) => `t${ms / 1000}`;

describe('connection banner', () => {
  it('says LIVE with the time it connected', () => {
    assert.deepEqual(connectionView('connected', 0, 65_000, true, time), {
      tone: 'green',
      label: 'LIVE',
      detail: 'connected since t0 (1 min 05 s ago)',
    });
  });

  it('says RECONNECTING, then OFFLINE after a while, with since-when', () => {
    const recent = connectionView('reconnecting', 10_000, 20_000, true, time);
    assert.equal(recent.label, 'RECONNECTING');
    assert.equal(recent.tone, 'orange');
    assert.match(recent.detail, /lost at t10 \(10 s ago\)/);
    const long = connectionView('reconnecting', 0, OFFLINE_AFTER_MS + 1, true, time);
    assert.equal(long.label, 'OFFLINE');
    assert.equal(long.tone, 'red');
    assert.match(long.detail, /server unreachable since t0/);
  });

  it('says OFFLINE at once when the browser has no network', () => {
    const view = connectionView('reconnecting', 0, 1_000, false, time);
    assert.equal(view.label, 'OFFLINE');
    assert.match(view.detail, /no network/);
  });

  it('asks for sign-in when the token was refused', () => {
    assert.equal(connectionView('refused', 0, 0, true, time).label, 'SIGN-IN NEEDED');
  });
});

describe('connection status changes', () => {
  const connected: ConnectionState = {
    status: 'connected',
    sinceMs: 1_000,
    syncedAtMs: 1_500,
    reconnections: 2,
    caughtUp: 0,
  };

  it('counts a loss from the moment the connection was lost, not from each retry', () => {
    const lost = withLinkStatus(connected, 'reconnecting', 5_000);
    assert.deepEqual(lost, {
      status: 'reconnecting',
      sinceMs: 5_000,
      syncedAtMs: 1_500,
      reconnections: 2,
      caughtUp: 0,
    });
    assert.equal(withLinkStatus(lost, 'connecting', 9_000).sinceMs, 5_000);
    assert.equal(withLinkStatus(lost, 'refused', 9_000).sinceMs, 5_000);
    assert.equal(withLinkStatus(lost, 'connected', 9_000).sinceMs, 9_000);
  });

  it('is unchanged when the status stays', () => {
    assert.equal(withLinkStatus(connected, 'connected', 9_000), connected);
  });
});
