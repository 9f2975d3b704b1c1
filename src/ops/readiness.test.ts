import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { Readiness, type ReadinessProbe } from './readiness.js';

function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const up = (name: string): ReadinessProbe => ({ name, check: async () => {} });
const failing = (name: string): ReadinessProbe => ({
  name,
  check: async () => {
    throw new Error('connect ECONNREFUSED 10.0.0.7:6379');
  },
});
const hanging = (name: string): ReadinessProbe => ({ name, check: () => new Promise(() => {}) });

describe('Readiness', () => {
  it('is ready when every probe answers', async () => {
    const report = await new Readiness([up('mongodb'), up('redis')], 200, recordingLogger().logger).report();
    assert.equal(report.status, 'ready');
    assert.deepEqual(report.down, []);
    assert.deepEqual(Object.keys(report.checks), ['mongodb', 'redis']);
  });

  it('names what is down, as an error or a timeout, without the driver message', async () => {
    const { logger, lines } = recordingLogger();
    const report = await new Readiness([up('mongodb'), failing('redis'), hanging('other')], 50, logger).report();
    assert.equal(report.status, 'not ready');
    assert.deepEqual(report.down, ['redis', 'other']);
    assert.equal(report.checks.redis?.reason, 'error');
    assert.equal(report.checks.other?.reason, 'timeout');
    assert.doesNotMatch(JSON.stringify(report), /ECONNREFUSED|10\.0\.0\.7/);
    assert.match(JSON.stringify(lines), /ECONNREFUSED/, 'the cause is logged instead');
  });

  it('logs changes of state only, and shares one round of probes between concurrent callers', async () => {
    const { logger, lines } = recordingLogger();
    let healthy = false;
    let calls = 0;
    const probe: ReadinessProbe = {
      name: 'redis',
      check: async () => {
        calls += 1;
        if (!healthy) throw new Error('down');
      },
    };
    const readiness = new Readiness([probe], 100, logger);
    const concurrent = await Promise.all([readiness.report(), readiness.report(), readiness.report()]);
    assert.equal(calls, 1);
    assert.ok(concurrent.every((report) => report.status === 'not ready'));
    await readiness.report();
    healthy = true;
    await readiness.report();
    await readiness.report();
    assert.deepEqual(
      lines.map((line) => line.msg),
      ['not ready: dependencies unreachable', 'ready: every dependency answers'],
    );
  });

  it('reports shutting down from the moment it is marked, without probing', async () => {
    let calls = 0;
    const counted: ReadinessProbe = {
      name: 'mongodb',
      check: async () => {
        calls += 1;
      },
    };
    const readiness = new Readiness([counted], 100, recordingLogger().logger);
    readiness.markShuttingDown();
    assert.equal((await readiness.report()).status, 'shutting down');
    assert.equal(calls, 0);
  });
});
