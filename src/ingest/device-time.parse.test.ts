import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RefusalError } from '../domain/refusal.error.js';
import { readDeviceTime } from './device-time.parse.js';

const NOW = new Date('2024-05-01T12:00:00.000Z');
const BOUNDS = { maxAgeMs: 24 * 3_600_000, maxAheadMs: 300_000 };
const reading = (fields: Record<string, unknown>) => readDeviceTime(fields, NOW, BOUNDS);
const read = (fields: Record<string, unknown>) => reading(fields).time;

function setAside(fields: Record<string, unknown>, reason: 'ahead' | 'too_old', pattern: RegExp): void {
  const result = reading(fields);
  assert.equal(result.time, null, JSON.stringify(fields));
  assert.equal(result.ignored?.reason, reason, JSON.stringify(fields));
  assert.match(result.ignored?.detail ?? '', pattern);
}

function refused(fields: Record<string, unknown>, pattern: RegExp): void {
  assert.throws(
    () => read(fields),
    (error: unknown) =>
      error instanceof RefusalError &&
      error.status === 400 &&
      error.code === 'INVALID_FIELD' &&
      pattern.test(error.message),
    JSON.stringify(fields),
  );
}

describe('readDeviceTime', () => {
  it('is null when no time is sent (or it is blank)', () => {
    assert.equal(read({}), null);
    assert.equal(read({ tracking_timestamp: null, timestamp: '' }), null);
  });

  it('reads ISO-8601 with a zone, epoch seconds and epoch milliseconds, as numbers or strings', () => {
    const expected = new Date('2024-05-01T11:30:00.250Z').getTime();
    for (const value of [
      '2024-05-01T11:30:00.250Z',
      '2024-05-01T13:30:00.250+02:00',
      '2024-05-01T13:30:00.250+0200',
      expected,
      String(expected),
      expected / 1000,
      String(expected / 1000),
    ]) {
      assert.equal(read({ tracking_timestamp: value })?.getTime(), expected, String(value));
    }
    assert.equal(read({ timestamp: '2024-05-01T11:30Z' })?.toISOString(), '2024-05-01T11:30:00.000Z');
  });

  it('prefers tracking_timestamp to timestamp', () => {
    const time = read({ tracking_timestamp: '2024-05-01T11:00:00Z', timestamp: '2024-05-01T10:00:00Z' });
    assert.equal(time?.toISOString(), '2024-05-01T11:00:00.000Z');
  });

  it('accepts the bounds exactly and sets aside (never refuses) a readable time just past them', () => {
    const ahead = NOW.getTime() + BOUNDS.maxAheadMs;
    const oldest = NOW.getTime() - BOUNDS.maxAgeMs;
    assert.equal(read({ timestamp: ahead })?.getTime(), ahead);
    assert.equal(read({ timestamp: oldest })?.getTime(), oldest);
    assert.equal(reading({ timestamp: ahead }).ignored, undefined);
    setAside({ timestamp: ahead + 1 }, 'ahead', /timestamp is 300 s ahead of the server's clock/);
    setAside({ tracking_timestamp: oldest - 1 }, 'too_old', /tracking_timestamp is older than 24 hours/);
    setAside({ timestamp: 0 }, 'too_old', /older than/);
    setAside({ timestamp: '99999999999999' }, 'ahead', /ahead/);
  });

  it('refuses unreadable and absurd values, naming the field', () => {
    refused({ tracking_timestamp: '2024-05-01T11:30:00' }, /tracking_timestamp must be an ISO-8601 time with a zone/);
    refused({ timestamp: '2024-02-30T00:00:00Z' }, /timestamp is not a real date/);
    refused({ timestamp: '2024-05-01T25:00:00Z' }, /not a real date/);
    refused({ timestamp: 'yesterday' }, /must be an ISO-8601/);
    refused({ timestamp: -5 }, /must be an ISO-8601/);
    refused({ timestamp: Number.NaN }, /must be an ISO-8601/);
    refused({ timestamp: { $gt: 0 } }, /must be an ISO-8601/);
    refused({ timestamp: ['2024-05-01T11:30:00Z'] }, /must be an ISO-8601/);
    refused({ timestamp: true }, /must be an ISO-8601/);
    refused({ timestamp: '0x10' }, /must be an ISO-8601/);
  });
});
