import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { DeviceTimeMonitor } from './device-time.monitor.js';

function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('DeviceTimeMonitor', () => {
  it('counts every device time set aside and logs at most once a minute, with how many since', () => {
    const { logger, lines } = recordingLogger();
    let now = 1_000_000;
    const counted: string[] = [];
    const monitor = new DeviceTimeMonitor(
      logger,
      (reason) => counted.push(reason),
      () => now,
    );
    monitor.record('332', 'ahead', 'timestamp is 900 s ahead');
    for (let second = 1; second < 60; second += 1) {
      now += 1000;
      monitor.record('332', second % 2 === 0 ? 'ahead' : 'too_old', 'detail');
    }
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.setAside, 1);
    assert.equal(lines[0]?.ambulanceId, '332');
    now += 1000;
    monitor.record('333', 'too_old', 'timestamp is older than 168 hours');
    assert.equal(lines.length, 2);
    assert.equal(lines[1]?.setAside, 60);
    assert.equal(lines[1]?.reason, 'too_old');
    assert.deepEqual(monitor.ignored, { ahead: 30, too_old: 31 });
    assert.equal(counted.length, 61);
  });
});
