/**
 * The findings of the upload security review, replayed as an attacker would against the real server process
 * in production mode (NODE_ENV=production, JWT_SECRET set, device keys required on every endpoint).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { bearer, mintToken, TEST_JWT_SECRET } from './helpers/auth.helpers.js';
import { graphqlRequest } from './helpers/graphql.client.js';
import { ENDPOINTS, TINY_PNG } from './helpers/http.client.js';
import { runServer, type ServerProcess } from './helpers/server.process.js';
import { testEnv, uniqueName } from './helpers/test-env.js';
import { RawUpload } from './helpers/upload.helpers.js';

const DEVICE_KEY = 'key-332-0123456789abcdef';
const MiB = 1024 * 1024;
const DASHBOARD_ASSETS = path.resolve(import.meta.dirname, '..', 'dashboard', 'assets');
const UPLOAD = `mutation Upload($ambulanceId: ID!, $files: [Upload!]!) {
  uploadSnapshot(ambulanceId: $ambulanceId, files: $files) { id }
}`;

describe('upload and small security findings, against a production server process', () => {
  let uploadDir: string;
  let server: ServerProcess;
  let url: string;

  before(async () => {
    uploadDir = await mkdtemp(path.join(os.tmpdir(), 'aoc-sec-uploads-'));
    server = runServer({
      NODE_ENV: 'production',
      JWT_SECRET: TEST_JWT_SECRET,
      MONGODB_URI: `${testEnv.mongoUri}${uniqueName('secup')}`,
      REDIS_URL: undefined,
      UPLOAD_DIR: uploadDir,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      INGEST_REQUIRE_DEVICE_KEY: 'all',
      INGEST_DEVICE_KEYS: `332:${DEVICE_KEY}`,
    });
    url = String((await server.waitForLog((line) => line.msg === 'listening')).url);
  });
  after(async () => {
    if (server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await rm(uploadDir, { recursive: true, force: true });
  });

  const deviceUpload = () => postImagesWithKey(url);
  const graphqlUpload = async () => {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: UPLOAD, variables: { ambulanceId: '332', files: [null] } }));
    form.append('map', JSON.stringify({ 0: ['variables.files.0'] }));
    form.append('0', new Blob([TINY_PNG], { type: 'image/png' }), 'a.png');
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      body: form,
      headers: { 'Apollo-Require-Preflight': 'true', ...bearer(await mintToken('device', { ambulances: ['332'] })) },
    });
    return (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> };
  };

  it('multipart bodies without a boundary (50 MiB + 14 MiB declared, nothing sent) leave uploads working', async () => {
    for (const declared of [52_428_800, 14_680_064]) {
      const attack = await RawUpload.open(url, 'multipart/form-data', declared, new Uint8Array());
      const answer = await attack.response();
      attack.destroy();
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(answer.body.code, 'MALFORMED_BODY');
      assert.match(String(answer.body.error), /Boundary not found/);
    }
    const rest = await deviceUpload();
    assert.equal(rest.status, 200, rest.text);
    const graphql = await graphqlUpload();
    assert.equal(graphql.errors, undefined, JSON.stringify(graphql.errors));
  });

  it('idle connections that declared 50 MiB + 14 MiB and send nothing block no upload', async () => {
    const boundary = 'multipart/form-data; boundary=idle';
    const idle = [await RawUpload.open(url, boundary, 50 * MiB, new Uint8Array())];
    idle.push(await RawUpload.open(url, boundary, 14 * MiB, new Uint8Array()));
    try {
      const rest = await deviceUpload();
      assert.equal(rest.status, 200, rest.text);
      const graphql = await graphqlUpload();
      assert.equal(graphql.errors, undefined, JSON.stringify(graphql.errors));
      assert.ok(
        idle.every((upload) => !upload.answered),
        'the idle uploads were still open',
      );
    } finally {
      for (const upload of idle) upload.destroy();
    }
  });

  it('answers a GraphQL upload whose map names a missing file with BAD_USER_INPUT, logged at info', async () => {
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({ query: UPLOAD, variables: { ambulanceId: '332', files: [null, null] } }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.files.0'], 1: ['variables.files.1'] }));
    form.append('0', new Blob([TINY_PNG], { type: 'image/png' }), 'a.png');
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      body: form,
      headers: { 'Apollo-Require-Preflight': 'true', ...bearer(await mintToken('device', { ambulances: ['332'] })) },
    });
    const body = (await response.json()) as {
      errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
    };
    assert.equal(body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(body));
    assert.match(String(body.errors?.[0]?.message), /files\.1 .*File missing in the request/);
    const logged = await server.waitForLog(
      (line) =>
        line.msg === 'graphql request answered with errors' &&
        JSON.stringify(line.codes) === JSON.stringify(['BAD_USER_INPUT']),
    );
    assert.equal(logged.level, 'info');
    assert.deepEqual(
      server.lines.filter((line) => line.level === 'error' || line.level === 'fatal'),
      [],
      'nothing was logged at error level',
    );
  });

  it('answers a form body with too many fields with 413 LIMIT_FIELD_COUNT', async () => {
    const form = new URLSearchParams({ ambulance_id: '332' });
    for (let index = 0; index < 30; index += 1) form.append(`extra${index}`, 'x');
    const response = await fetch(`${url}${ENDPOINTS.tracking}`, {
      method: 'POST',
      body: form,
      headers: { 'x-device-key': DEVICE_KEY },
    });
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(response.status, 413, JSON.stringify(body));
    assert.equal(body.code, 'LIMIT_FIELD_COUNT');
    assert.match(String(body.error), /at most 20 form fields/);
  });

  it('serves no dashboard source map and links none from the bundles', async () => {
    const assets = await readdir(DASHBOARD_ASSETS);
    const maps = assets.filter((name) => name.endsWith('.map'));
    assert.ok(maps.length > 0, 'the build keeps its source maps beside the bundles');
    for (const map of maps) {
      const response = await fetch(`${url}/dashboard/assets/${map}`);
      assert.equal(response.status, 404, map);
      assert.doesNotMatch(await response.text(), /"sources"/);
    }
    for (const script of assets.filter((name) => name.endsWith('.js') || name.endsWith('.css'))) {
      assert.doesNotMatch(await readFile(path.join(DASHBOARD_ASSETS, script), 'utf8'), /sourceMappingURL/, script);
      assert.equal((await fetch(`${url}/dashboard/assets/${script}`)).status, 200, script);
    }
  });

  it('refuses a token whose exp is far in the future as UNAUTHENTICATED, saying why', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const claims of [
      { role: 'dispatcher', exp: now + 100 * 365 * 86_400 },
      { role: 'dispatcher', iat: now, exp: now + 2 * 86_400 },
    ]) {
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(TEST_JWT_SECRET));
      const result = await graphqlRequest(`${url}/graphql`, '{ ambulances { id } }', {}, bearer(token));
      assert.equal(result.status, 401, JSON.stringify(result));
      assert.equal(result.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
      assert.match(String(result.errors?.[0]?.message), /JWT_MAX_TOKEN_LIFETIME_SECONDS/);
    }
    const day = await mintToken('dispatcher', { expiresIn: '24h' });
    assert.equal((await graphqlRequest(`${url}/graphql`, '{ ambulances { id } }', {}, bearer(day))).status, 200);
  });
});

function postImagesWithKey(url: string) {
  const form = new FormData();
  form.append('ambulance_id', '332');
  form.append('image', new Blob([TINY_PNG], { type: 'image/png' }), 'a.png');
  return fetch(`${url}${ENDPOINTS.snapshot}`, {
    method: 'POST',
    body: form,
    headers: { 'x-device-key': DEVICE_KEY },
  }).then(async (response) => ({ status: response.status, text: await response.text() }));
}
