import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  authProblemOfClose,
  authProblemOfErrors,
  authProblemOfStatus,
  bearer,
  normaliseToken,
  preferredProblem,
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
    const bare = authProblemOfClose(WS_CLOSE_FORBIDDEN, 'Forbidden');
    assert.equal(bare?.kind, 'unauthenticated');
    assert.equal(bare?.generic, true);
    assert.equal(authProblemOfClose(WS_CLOSE_FORBIDDEN, '')?.generic, true);
    assert.deepEqual(authProblemOfClose(WS_CLOSE_FORBIDDEN, 'Forbidden: token expired'), {
      kind: 'unauthenticated',
      reason: 'token expired',
    });
    assert.equal(authProblemOfClose(1006, ''), null);
    assert.equal(authProblemOfClose(4408, 'Pong timeout'), null);
  });

  it('reads 401 and 403 without a coded body as refusals, other statuses not', () => {
    assert.deepEqual(
      [401, 403, 200, 500, 502].map((status) => authProblemOfStatus(status)?.kind ?? null),
      ['unauthenticated', 'forbidden', null, null, null],
    );
  });

  it('keeps a refusal that says why over a later one that does not', () => {
    const specific = { kind: 'unauthenticated', reason: 'token expired; get a new one' } as const;
    const bare = authProblemOfClose(WS_CLOSE_FORBIDDEN, 'Forbidden');
    assert.ok(bare);
    assert.equal(preferredProblem(specific, bare), specific);
    assert.equal(preferredProblem(bare, specific), specific);
    assert.equal(preferredProblem(null, bare), bare);
    const other = { kind: 'forbidden', reason: 'the device role may not use Query.ambulances' } as const;
    assert.equal(preferredProblem(specific, other), other, 'a newer reason replaces an older one');
  });
});
