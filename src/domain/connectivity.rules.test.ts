import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectivityEventKind, connectivityOf } from './connectivity.rules.js';

const rules = { staleAfterMs: 60_000, offlineAfterMs: 300_000 };
const now = new Date('2026-01-01T08:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe('connectivity', () => {
  it('follows the age of the last report', () => {
    assert.equal(connectivityOf(ago(0), now, rules), 'ONLINE');
    assert.equal(connectivityOf(ago(60), now, rules), 'ONLINE');
    assert.equal(connectivityOf(ago(61), now, rules), 'STALE');
    assert.equal(connectivityOf(ago(300), now, rules), 'STALE');
    assert.equal(connectivityOf(ago(301), now, rules), 'OFFLINE');
    assert.equal(connectivityOf(null, now, rules), 'OFFLINE');
  });

  it('names the event of each change', () => {
    assert.equal(connectivityEventKind('ONLINE'), 'CAME_ONLINE');
    assert.equal(connectivityEventKind('STALE'), 'WENT_STALE');
    assert.equal(connectivityEventKind('OFFLINE'), 'WENT_OFFLINE');
  });
});
