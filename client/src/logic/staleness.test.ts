import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ackServerTimeMs, ageSeconds, clockOffsetMs, formatAge, formatAgo, isStale } from './staleness.js';

const at = (iso: string) => Date.parse(iso);

describe('dashboard staleness', () => {
  it('measures age in whole seconds, never negative', () => {
    assert.equal(ageSeconds('2026-01-01T00:00:00.000Z', at('2026-01-01T00:01:30.900Z')), 90);
    assert.equal(ageSeconds('2026-01-01T00:00:05.000Z', at('2026-01-01T00:00:00.000Z')), 0);
    assert.equal(ageSeconds('not a time', at('2026-01-01T00:00:00.000Z')), Number.POSITIVE_INFINITY);
  });

  it('is stale only past the threshold', () => {
    const recorded = '2026-01-01T00:00:00.000Z';
    assert.equal(isStale(recorded, at('2026-01-01T00:01:00.000Z'), 60), false);
    assert.equal(isStale(recorded, at('2026-01-01T00:01:01.000Z'), 60), true);
    assert.equal(isStale('garbage', at('2026-01-01T00:00:00.000Z'), 60), true);
  });

  it('formats ages for a table cell', () => {
    assert.equal(formatAge(0), 'just now');
    assert.equal(formatAge(42), '42 s');
    assert.equal(formatAge(185), '3 min 05 s');
    assert.equal(formatAge(2 * 3600 + 4 * 60 + 9), '2 h 04 min');
    assert.equal(formatAge(3 * 86400 + 5 * 3600), '3 d 5 h');
    assert.equal(formatAge(Number.POSITIVE_INFINITY), 'unknown');
  });

  it('says how long ago, without "just now ago"', () => {
    assert.equal(formatAgo(1), 'just now');
    assert.equal(formatAgo(42), '42 s ago');
  });

  it('measures the local clock against the server time, read halfway through the round trip', () => {
    const sent = at('2026-01-01T00:00:00.000Z');
    assert.equal(clockOffsetMs('2026-01-01T00:00:10.000Z', sent, sent), 10_000);
    // A slow answer (2 s): the server read its clock about 1 s after the request left, not when it arrived.
    assert.equal(clockOffsetMs('2026-01-01T00:00:01.000Z', sent, sent + 2000), 0);
    assert.equal(clockOffsetMs('nonsense', 5, 6), 0);
  });

  it('reads the server time of a connection acknowledgement', () => {
    assert.equal(ackServerTimeMs({ serverTime: '2026-01-01T00:00:10.000Z' }), at('2026-01-01T00:00:10.000Z'));
    assert.equal(ackServerTimeMs({ serverTime: 'soon' }), null);
    assert.equal(ackServerTimeMs(undefined), null);
    assert.equal(ackServerTimeMs({}), null);
  });
});
