import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messageOf } from './error.message.js';

describe('error message', () => {
  it('is the message of an Error, or the text of anything else thrown', () => {
    assert.equal(messageOf(new TypeError('failed to fetch')), 'failed to fetch');
    assert.equal(messageOf('timeout'), 'timeout');
    assert.equal(messageOf(404), '404');
  });
});
