import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphQLError } from 'graphql';
import pino from 'pino';
import { CLIENT_ERROR_CODES, GraphQLErrorCode } from '../errors/error.codes.js';
import { maskError } from './error.mask.js';

function recordingLogger() {
  const lines: string[] = [];
  return { lines, logger: pino({ level: 'error' }, { write: (line: string) => lines.push(line) }) };
}

function formattedAndOriginal(message: string, code?: string) {
  const original = new GraphQLError(message, { path: ['field'], extensions: code ? { code } : {} });
  const formatted = { ...original.toJSON(), extensions: { ...original.extensions, stacktrace: ['at secret.ts:1'] } };
  return { formatted, original };
}

describe('maskError', () => {
  for (const code of CLIENT_ERROR_CODES) {
    it(`keeps ${code} with its message, without the stack trace`, () => {
      const { lines, logger } = recordingLogger();
      const { formatted, original } = formattedAndOriginal('something the client can act on', code);
      const masked = maskError(formatted, original, logger);
      assert.equal(masked.message, 'something the client can act on');
      assert.deepEqual(masked.extensions, { code });
      assert.deepEqual(masked.path, ['field']);
      assert.equal(lines.length, 0);
    });
  }

  for (const code of ['SOMETHING_UNLISTED', GraphQLErrorCode.InternalServerError, undefined]) {
    it(`masks an error coded ${code ?? '(none)'} as INTERNAL_SERVER_ERROR and logs it`, () => {
      const { lines, logger } = recordingLogger();
      const { formatted, original } = formattedAndOriginal('connection string mongodb://secret', code);
      const masked = maskError(formatted, original, logger);
      assert.deepEqual(masked, {
        message: 'Internal server error',
        path: ['field'],
        extensions: { code: GraphQLErrorCode.InternalServerError },
      });
      assert.equal(lines.length, 1);
      assert.match(lines[0] as string, /graphql operation failed/);
    });
  }

  it('answers STORAGE_UNAVAILABLE when the database could not be reached', () => {
    const { logger } = recordingLogger();
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoServerSelectionError' });
    const original = new GraphQLError('connect ECONNREFUSED', { path: ['field'], originalError: cause });
    const masked = maskError(original.toJSON(), original, logger);
    assert.deepEqual(masked, {
      message: 'Storage is unavailable; retry later.',
      path: ['field'],
      extensions: { code: GraphQLErrorCode.StorageUnavailable },
    });
  });
});
