import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  authProblemOfClose,
  authProblemOfErrors,
  bearer,
  normaliseToken,
  tokenFromFragment,
  WS_CLOSE_FORBIDDEN,
} from './auth.token.js';

describe('dashboard token handling', () => {
  it('takes the token out of the fragment and keeps the rest', () => {
    assert.deepEqual(tokenFromFragment('#token=abc.def.ghi'), { token: 'abc.def.ghi', remainingHash: '' });
    assert.deepEqual(tokenFromFragment('#view=wall&token=t1'), { token: 't1', remainingHash: '#view=wall' });
    assert.deepEqual(tokenFromFragment(''), { token: null, remainingHash: '' });
    assert.deepEqual(tokenFromFragment('#token='), { token: null, remainingHash: '' });
  });

  it('accepts a pasted token with or without its Bearer prefix', () => {
    assert.equal(normaliseToken('  Bearer abc  '), 'abc');
    assert.equal(normaliseToken('abc\n'), 'abc');
    assert.equal(normaliseToken('   '), null);
    assert.equal(bearer('abc'), 'Bearer abc');
  });

  it('recognises refusals by their stable codes', () => {
    assert.deepEqual(authProblemOfErrors([{ message: 'token expired', extensions: { code: 'UNAUTHENTICATED' } }]), {
      kind: 'unauthenticated',
      reason: 'token expired',
    });
    assert.equal(authProblemOfErrors([{ message: 'no', extensions: { code: 'FORBIDDEN' } }])?.kind, 'forbidden');
    assert.equal(authProblemOfErrors([{ message: 'x', extensions: { code: 'BAD_USER_INPUT' } }]), null);
    assert.equal(authProblemOfErrors(undefined), null);
  });

  it('treats the graphql-ws Forbidden close as a sign-in request, other closes as network trouble', () => {
    assert.equal(authProblemOfClose(WS_CLOSE_FORBIDDEN, 'Forbidden')?.kind, 'unauthenticated');
    assert.equal(authProblemOfClose(1006, ''), null);
  });
});
