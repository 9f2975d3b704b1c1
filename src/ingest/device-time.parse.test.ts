import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readDeviceTime } from './device-time.parse.js';
import { IngestError } from './ingest.errors.js';

const NOW = new Date('2024-05-01T12:00:00.000Z');
const BOUNDS = { maxAgeMs: 24 * 3_600_000, maxAheadMs: 300_000 };
const read = (fields: Record<string, unknown>) => readDeviceTime(fields, NOW, BOUNDS);

function refused(fields: Record<string, unknown>, pattern: RegExp): void {
  assert.throws(
    () => read(fields),
    (error: unknown) =>
      error instanceof IngestError &&
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

  it('accepts the bounds exactly and refuses just past them', () => {
    const ahead = NOW.getTime() + BOUNDS.maxAheadMs;
    const oldest = NOW.getTime() - BOUNDS.maxAgeMs;
    assert.equal(read({ timestamp: ahead })?.getTime(), ahead);
    assert.equal(read({ timestamp: oldest })?.getTime(), oldest);
    refused({ timestamp: ahead + 1 }, /ahead of the server's clock/);
    refused({ timestamp: oldest - 1 }, /older than 24 hours/);
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
    refused({ timestamp: 0 }, /older than/);
    refused({ timestamp: '99999999999999' }, /ahead/);
    refused({ timestamp: '0x10' }, /must be an ISO-8601/);
  });
});
