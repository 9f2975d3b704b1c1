import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runServer } from './helpers/server.process.js';

const FIXTURE = path.resolve(import.meta.dirname, 'fixtures', 'process-errors.fixture.js');

describe('process-level error handlers', () => {
  it('log and count an unhandled rejection and carry on; log an uncaught exception, shut down and exit non-zero', async () => {
    const child = runServer({}, FIXTURE);
    const code = await child.exited;
    assert.equal(code, 1, `exit code; stderr: ${child.stderr()}`);
    const messages = child.lines.map((line) => line.msg);
    assert.deepEqual(messages, [
      'unhandled promise rejection',
      'still running after the rejection',
      'uncaught exception; shutting down',
      'clean shutdown attempted',
    ]);
    const [rejection, running, uncaught, shutdown] = child.lines;
    assert.equal(rejection?.level, 'error');
    assert.match(JSON.stringify(rejection?.err), /a forgotten promise/);
    assert.deepEqual(running?.counts, { uncaughtException: 0, unhandledRejection: 1 });
    assert.equal(uncaught?.level, 'fatal');
    assert.match(JSON.stringify(uncaught?.err), /a bug in a timer/);
    assert.deepEqual(shutdown?.counts, { uncaughtException: 1, unhandledRejection: 1 });
  });
});
