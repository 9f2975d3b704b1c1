import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { signatureOf, verifySignature } from './webhook.signature.js';

describe('webhook signature', () => {
  it('is the HMAC-SHA256 of the raw body in lower-case hex (a known vector)', () => {
    // RFC 4231 test case 2.
    assert.equal(
      signatureOf('what do ya want for nothing?', 'Jefe'),
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    const body = '{"id":"e1","note":"ünïcode"}';
    assert.equal(signatureOf(body, 's'.repeat(32)), createHmac('sha256', 's'.repeat(32)).update(body).digest('hex'));
  });

  it('verifies only the same body with the same secret', () => {
    const secret = 'k'.repeat(32);
    const body = '{"id":"e1","kind":"CRASH_REPORTED"}';
    const signature = signatureOf(body, secret);
    assert.equal(verifySignature(body, signature, secret), true);
    assert.equal(verifySignature(`${body} `, signature, secret), false, 'one more byte');
    assert.equal(verifySignature(body, signature, 'x'.repeat(32)), false, 'another secret');
    assert.equal(verifySignature(body, signature.slice(2), secret), false, 'truncated');
    assert.equal(verifySignature(body, 'not hex', secret), false);
  });
});
