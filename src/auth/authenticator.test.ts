import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { AuthenticationFailure } from './auth.errors.js';
import { Authenticator } from './authenticator.js';
import { OPEN_MODE_PRINCIPAL } from './principal.js';
import { issueToken } from './token.issuer.js';

const SECRET = 'unit-test-secret-0123456789abcdefghijkl';
const now = () => Math.floor(Date.now() / 1000);

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AuthenticationFailure, `expected AuthenticationFailure, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected a refusal');
}

const sign = (claims: Record<string, unknown>, secret = SECRET) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));

describe('Authenticator with an HS256 secret', () => {
  const authenticator = new Authenticator({ secret: SECRET, clockToleranceSeconds: 5 });

  it('turns a valid token into its principal', async () => {
    const token = await issueToken(SECRET, {
      role: 'partner',
      ambulances: ['332', '333'],
      expiresIn: '1h',
      subject: 'acme',
    });
    const principal = await authenticator.authenticate(`Bearer ${token}`);
    assert.equal(principal.role, 'partner');
    assert.deepEqual([...(principal.ambulances ?? [])], ['332', '333']);
    assert.equal(principal.subject, 'acme');
    assert.equal(principal.open, false);
    assert.ok(principal.expiresAt && principal.expiresAt > Date.now());
    // Scheme case and surrounding blanks do not matter.
    assert.equal((await authenticator.authenticate(`bearer   ${token} `)).role, 'partner');
  });

  it('refuses a missing, empty or non-bearer authorization', async () => {
    assert.match(await refusal(authenticator.authenticate(undefined)), /bearer token is required/);
    assert.match(await refusal(authenticator.authenticate('')), /bearer token is required/);
    assert.match(await refusal(authenticator.authenticate('Basic dXNlcjpwYXNz')), /Bearer <token>/);
    assert.match(await refusal(authenticator.authenticate(['Bearer a.b.c'])), /Bearer <token>/);
    assert.match(await refusal(authenticator.authenticate(`Bearer ${'a'.repeat(8193)}`)), /Bearer <token>/);
  });

  it('refuses a token expired beyond the clock tolerance and accepts one just inside it', async () => {
    assert.match(await refusal(authenticator.verify(await sign({ role: 'dispatcher', exp: now() - 7 }))), /expired/);
    assert.equal((await authenticator.verify(await sign({ role: 'dispatcher', exp: now() - 3 }))).role, 'dispatcher');
  });

  it('refuses a token without exp, with a wrong signature, alg none, or another algorithm', async () => {
    assert.match(await refusal(authenticator.verify(await sign({ role: 'dispatcher' }))), /"exp"/);
    const wrong = await sign({ role: 'dispatcher', exp: now() + 60 }, 'another-secret-0123456789abcdefghijkl');
    assert.match(await refusal(authenticator.verify(wrong)), /signature/);
    const payload = Buffer.from(JSON.stringify({ role: 'dispatcher', exp: now() + 60 })).toString('base64url');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    assert.match(await refusal(authenticator.verify(none)), /algorithm/);
    const hs512 = await new SignJWT({ role: 'dispatcher', exp: now() + 60 })
      .setProtectedHeader({ alg: 'HS512' })
      .sign(new TextEncoder().encode(SECRET));
    assert.match(await refusal(authenticator.verify(hs512)), /algorithm/);
    assert.match(await refusal(authenticator.verify('not-a-jwt')), /malformed/);
  });

  it('refuses a token living longer than the maximum lifetime (24 h by default), with or without iat', async () => {
    const day = 24 * 3600;
    const tooLong = /lifetime .* longer than the 86400 s accepted \(JWT_MAX_TOKEN_LIFETIME_SECONDS\)/;
    const farFuture = now() + 50 * 365 * day;
    assert.match(await refusal(authenticator.verify(await sign({ role: 'dispatcher', exp: farFuture }))), tooLong);
    const issued = now() - 60;
    const stretched = await sign({ role: 'dispatcher', iat: issued, exp: issued + day + 3600 });
    assert.match(await refusal(authenticator.verify(stretched)), tooLong);
    // An iat in the future cannot shorten the lifetime counted from now.
    const futureIat = await sign({ role: 'dispatcher', iat: farFuture - 60, exp: farFuture });
    assert.match(await refusal(authenticator.verify(futureIat)), tooLong);
    assert.equal(
      (await authenticator.verify(await sign({ role: 'dispatcher', iat: now(), exp: now() + day }))).role,
      'dispatcher',
    );
    assert.equal(
      (await authenticator.verify(await sign({ role: 'dispatcher', exp: now() + day - 60 }))).role,
      'dispatcher',
    );
    const weekly = new Authenticator({ secret: SECRET, clockToleranceSeconds: 5, maxTokenLifetimeSeconds: 7 * day });
    assert.equal(
      (await weekly.verify(await sign({ role: 'dispatcher', iat: now(), exp: now() + 7 * day }))).role,
      'dispatcher',
    );
    assert.match(
      await refusal(weekly.verify(await sign({ role: 'dispatcher', iat: now(), exp: now() + 8 * day }))),
      /604800 s/,
    );
  });

  it('refuses role and ambulances claims it does not understand', async () => {
    const exp = now() + 60;
    for (const claims of [{}, { role: 'admin' }, { role: ['dispatcher'] }]) {
      assert.match(await refusal(authenticator.verify(await sign({ ...claims, exp }))), /"role"/);
    }
    for (const ambulances of ['332', [332], ['../x'], [''], { 0: '332' }]) {
      assert.match(
        await refusal(authenticator.verify(await sign({ role: 'partner', ambulances, exp }))),
        /"ambulances"/,
      );
    }
    const empty = await authenticator.verify(await sign({ role: 'partner', ambulances: [], exp }));
    assert.equal(empty.ambulances?.size, 0);
  });

  it('checks issuer and audience when configured', async () => {
    const strict = new Authenticator({ secret: SECRET, issuer: 'aoc', audience: 'tracking', clockToleranceSeconds: 0 });
    const exp = now() + 60;
    assert.equal(
      (await strict.verify(await sign({ role: 'partner', iss: 'aoc', aud: 'tracking', exp }))).role,
      'partner',
    );
    assert.match(
      await refusal(strict.verify(await sign({ role: 'partner', iss: 'other', aud: 'tracking', exp }))),
      /"iss"/,
    );
    assert.match(await refusal(strict.verify(await sign({ role: 'partner', iss: 'aoc', exp }))), /"aud"/);
  });
});

describe('Authenticator in open mode', () => {
  it('treats every caller as a dispatcher and ignores tokens', async () => {
    const open = new Authenticator({ clockToleranceSeconds: 5 });
    assert.equal(open.open, true);
    assert.equal(await open.authenticate(undefined), OPEN_MODE_PRINCIPAL);
    assert.equal(await open.authenticate('Bearer garbage'), OPEN_MODE_PRINCIPAL);
  });
});

describe('Authenticator with a JWKS', () => {
  let server: http.Server;
  let jwksUrl: string;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

  before(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    server = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('accepts a token signed by the provider key and refuses an HS256 one when no secret is set', async () => {
    const authenticator = new Authenticator({ jwksUrl, clockToleranceSeconds: 5 });
    const token = await new SignJWT({ role: 'partner', ambulances: ['7'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setExpirationTime('5m')
      .sign(privateKey);
    const principal = await authenticator.authenticate(`Bearer ${token}`);
    assert.equal(principal.role, 'partner');
    assert.deepEqual([...(principal.ambulances ?? [])], ['7']);
    const hs = await issueToken(SECRET, { role: 'dispatcher', expiresIn: '5m' });
    assert.match(await refusal(authenticator.verify(hs)), /algorithm/);
  });

  it('refuses a token signed by another key', async () => {
    const authenticator = new Authenticator({ jwksUrl, clockToleranceSeconds: 5 });
    const other = await generateKeyPair('ES256');
    const token = await new SignJWT({ role: 'dispatcher' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setExpirationTime('5m')
      .sign(other.privateKey);
    assert.match(await refusal(authenticator.verify(token)), /signature/);
  });
});
