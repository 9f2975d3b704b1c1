import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthenticationFailure } from '../auth/auth.errors.js';
import { forbiddenCloseReason, MAX_CLOSE_REASON_BYTES } from './ws-close.reason.js';

describe('the reason of a 4403 close', () => {
  it('keeps the first clause of why the token was refused', () => {
    const reasonOf = (message: string) => forbiddenCloseReason(new AuthenticationFailure(message));
    assert.equal(
      reasonOf('a bearer token is required: send "Authorization: Bearer <token>"'),
      'Forbidden: a bearer token is required',
    );
    assert.equal(reasonOf('token expired; get a new one'), 'Forbidden: token expired');
    assert.equal(reasonOf('token signature is not valid'), 'Forbidden: token signature is not valid');
  });

  it('says no more than "Forbidden" for other errors, and fits a close frame', () => {
    assert.equal(forbiddenCloseReason(new Error('connection to 10.0.0.3 refused')), 'Forbidden');
    const long = forbiddenCloseReason(new AuthenticationFailure('é'.repeat(200)));
    assert.ok(Buffer.byteLength(long) <= MAX_CLOSE_REASON_BYTES);
    assert.ok(Buffer.byteLength(long) >= MAX_CLOSE_REASON_BYTES - 1);
    assert.match(long, /^Forbidden: é+$/);
  });
});
