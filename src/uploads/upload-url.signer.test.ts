import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UploadUrlSigner } from './upload-url.signer.js';

const SECRET = 'unit-test-secret-0123456789abcdefghijkl';
const PATH = '/uploads/ambulance_images/332/2026/11/22/03_40/12_34_5678.jpg';

describe('UploadUrlSigner', () => {
  it('accepts its own URLs until they expire, with the seconds left', () => {
    let now = 1_000_000;
    const signer = new UploadUrlSigner(SECRET, 3600, () => now);
    const [path, query] = signer.sign(PATH).split('?') as [string, string];
    assert.equal(path, PATH);
    const params = new URLSearchParams(query);
    const expires = Number(params.get('expires'));
    assert.ok(expires >= now + 3600 && expires < now + 3660 && expires % 60 === 0);
    assert.deepEqual(signer.check(PATH, params.get('expires'), params.get('signature')), {
      ok: true,
      remainingSeconds: expires - now,
    });
    now = expires;
    assert.equal(signer.check(PATH, params.get('expires'), params.get('signature')).ok, false);
  });

  it('keys derive from the secret: another secret or another path does not verify', () => {
    const query = new URLSearchParams(new UploadUrlSigner(SECRET, 60).sign(PATH).split('?')[1]);
    const other = new UploadUrlSigner(`${SECRET}x`, 60);
    assert.deepEqual(
      [other.check(PATH, query.get('expires'), query.get('signature')).ok, other.check(PATH, undefined, undefined).ok],
      [false, false],
    );
    const same = new UploadUrlSigner(SECRET, 60);
    assert.equal(same.check(`${PATH}x`, query.get('expires'), query.get('signature')).ok, false);
    assert.equal(same.check(PATH, [query.get('expires')], query.get('signature')).ok, false);
  });

  it('comes from UPLOAD_URL_SECRET, else JWT_SECRET, else nothing (open mode)', () => {
    assert.equal(UploadUrlSigner.fromConfig({ UPLOAD_URL_TTL_SECONDS: 60 }), null);
    const fromJwt = UploadUrlSigner.fromConfig({ JWT_SECRET: SECRET, UPLOAD_URL_TTL_SECONDS: 60 });
    const query = new URLSearchParams(fromJwt?.sign(PATH).split('?')[1]);
    assert.equal(new UploadUrlSigner(SECRET, 60).check(PATH, query.get('expires'), query.get('signature')).ok, true);
    const own = UploadUrlSigner.fromConfig({
      JWT_SECRET: SECRET,
      UPLOAD_URL_SECRET: `${SECRET}-own`,
      UPLOAD_URL_TTL_SECONDS: 60,
    });
    const ownQuery = new URLSearchParams(own?.sign(PATH).split('?')[1]);
    assert.equal(
      new UploadUrlSigner(SECRET, 60).check(PATH, ownQuery.get('expires'), ownQuery.get('signature')).ok,
      false,
    );
  });
});
