import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('writes one JSON line per event with a level name and an ISO time', () => {
    const lines: string[] = [];
    createLogger('info', { write: (line: string) => lines.push(line) }).info({ a: 1 }, 'hello');
    assert.equal(lines.length, 1);
    const line = JSON.parse(lines[0] as string) as Record<string, unknown>;
    assert.equal(line.level, 'info');
    assert.equal(line.msg, 'hello');
    assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('redacts credentials, tokens and graphql-ws connection parameters wherever a caller puts them', () => {
    const lines: string[] = [];
    const logger = createLogger('debug', { write: (line: string) => lines.push(line) });
    logger.warn({
      authorization: 'Bearer top-secret-1',
      headers: { authorization: 'Bearer top-secret-2', cookie: 'session=top-secret-3', host: 'kept' },
      req: { headers: { authorization: 'Bearer top-secret-4' } },
      connectionParams: { authorization: 'Bearer top-secret-5' },
      ctx: { connectionParams: { token: 'top-secret-6' } },
      user: { token: 'top-secret-7', password: 'top-secret-8' },
    });
    const text = lines.join('');
    assert.doesNotMatch(text, /top-secret/);
    assert.match(text, /"host":"kept"/);
    assert.match(text, /\[redacted\]/);
  });

  it('honours the level', () => {
    const lines: string[] = [];
    const logger = createLogger('warn', { write: (line: string) => lines.push(line) });
    logger.info('dropped');
    logger.warn('kept');
    assert.deepEqual(
      lines.map((line) => (JSON.parse(line) as { msg: string }).msg),
      ['kept'],
    );
  });
});
