import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { UploadUrlSigner } from '../src/uploads/upload-url.signer.js';
import { bearer, mintToken, startSecuredTestApp, TEST_JWT_SECRET } from './helpers/auth.helpers.js';
import { graphqlRequest } from './helpers/graphql.client.js';
import { postImages, TINY_PNG } from './helpers/http.client.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const TTL_SECONDS = 600;
const SNAPSHOT_URLS = '{ snapshots(ambulanceId: "SIG1") { edges { node { images { url } } } } }';

async function uploadedImageUrl(app: TestApp, headers: Record<string, string>): Promise<string> {
  assert.equal((await postImages(app.url, 'SIG1', [{ field: 'image', data: TINY_PNG }])).status, 200);
  const result = await graphqlRequest<{ snapshots: { edges: Array<{ node: { images: Array<{ url: string }> } }> } }>(
    app.graphqlUrl,
    SNAPSHOT_URLS,
    {},
    headers,
  );
  const url = result.data?.snapshots.edges[0]?.node.images[0]?.url;
  assert.ok(url, JSON.stringify(result));
  return url;
}

/** A GET with the path sent exactly as given (fetch would resolve `..` segments before sending). */
function rawGet(app: TestApp, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: app.app.port, path }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

async function refusal(response: Response): Promise<{ status: number; code: unknown; message: unknown }> {
  const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
  return { status: response.status, code: body.errors[0]?.extensions.code, message: body.errors[0]?.message };
}

describe('signed image URLs (JWT_SECRET set)', () => {
  let app: TestApp;
  let url: string;
  before(async () => {
    app = await startSecuredTestApp({ env: { UPLOAD_URL_TTL_SECONDS: String(TTL_SECONDS) } });
    url = await uploadedImageUrl(app, bearer(await mintToken('dispatcher')));
  });
  after(async () => {
    await app.close();
  });

  it('the GraphQL url is signed and expires within the configured TTL', () => {
    const match = /^\/uploads\/ambulance_images\/SIG1\/[^?]+\.png\?expires=(\d+)&signature=([\w-]{43})$/.exec(url);
    assert.ok(match, url);
    const remaining = Number(match[1]) - Date.now() / 1000;
    assert.ok(remaining > 0 && remaining <= TTL_SECONDS + 60, `expires in ${remaining}s`);
  });

  it('serves the image for a valid signature, cached privately no longer than the URL lives', async () => {
    const response = await fetch(`${app.url}${url}`);
    assert.equal(response.status, 200);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), TINY_PNG);
    const maxAge = Number(/^private, max-age=(\d+)$/.exec(response.headers.get('cache-control') ?? '')?.[1]);
    assert.ok(maxAge > 0 && maxAge <= TTL_SECONDS + 60, response.headers.get('cache-control') ?? '');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  });

  it('refuses a URL without a signature, with a tampered signature, path or expiry', async () => {
    const [path, query] = url.split('?') as [string, string];
    const params = new URLSearchParams(query);
    const signature = params.get('signature') as string;
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    const cases: Array<[string, string]> = [
      [path, 'UPLOAD_URL_UNSIGNED'],
      [`${path}?expires=${params.get('expires')}&signature=${flipped}`, 'UPLOAD_URL_INVALID'],
      [`${path}?expires=${Number(params.get('expires')) + 60}&signature=${signature}`, 'UPLOAD_URL_INVALID'],
      [`${path.replace(/\.png$/, '.jpg')}?${query}`, 'UPLOAD_URL_INVALID'],
      [`${path}?expires=soon&signature=${signature}`, 'UPLOAD_URL_INVALID'],
    ];
    for (const [candidate, code] of cases) {
      const refused = await refusal(await fetch(`${app.url}${candidate}`));
      assert.equal(refused.status, 403, candidate);
      assert.equal(refused.code, code, candidate);
      assert.match(String(refused.message), /url/i);
    }
  });

  it('refuses an expired URL even with a correct signature', async () => {
    const longAgo = Math.floor(Date.now() / 1000) - 2 * TTL_SECONDS;
    const expired = new UploadUrlSigner(TEST_JWT_SECRET, TTL_SECONDS, () => longAgo).sign(url.split('?')[0] as string);
    const refused = await refusal(await fetch(`${app.url}${expired}`));
    assert.deepEqual([refused.status, refused.code], [403, 'UPLOAD_URL_EXPIRED']);
    assert.match(String(refused.message), /expired/);
  });

  it('never serves a file outside the upload directory, even for a correctly signed path', async () => {
    const signer = new UploadUrlSigner(TEST_JWT_SECRET, TTL_SECONDS);
    for (const path of ['/uploads/%2e%2e/%2e%2e/etc/passwd', '/uploads/ambulance_images/..%2f..%2f..%2fpackage.json']) {
      const response = await rawGet(app, signer.sign(path));
      assert.ok(response.status === 403 || response.status === 404, `${path}: ${response.status}`);
      assert.doesNotMatch(response.body, /root:|"name"/);
    }
  });

  it('a URL signed with another key is refused', async () => {
    const forged = new UploadUrlSigner('another-secret-0123456789abcdefghijklmnop', TTL_SECONDS).sign(
      url.split('?')[0] as string,
    );
    assert.equal((await fetch(`${app.url}${forged}`)).status, 403);
  });
});

describe('image URLs in open mode (no secret)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });

  it('stay unsigned and are served as before', async () => {
    const url = await uploadedImageUrl(app, {});
    assert.doesNotMatch(url, /[?]/);
    const response = await fetch(`${app.url}${url}`);
    assert.equal(response.status, 200);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), TINY_PNG);
  });
});
