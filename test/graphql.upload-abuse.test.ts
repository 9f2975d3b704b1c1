import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TINY_PNG } from './helpers/http.client.js';
import { storedState } from './helpers/ingest.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const UPLOAD = `mutation Upload($ambulanceId: ID!, $files: [Upload!]!) {
  uploadSnapshot(ambulanceId: $ambulanceId, files: $files) { id images { name } }
}`;
/** graphql-upload-minimal's largest `operations` / `map` field, as configured in app.ts. */
const MAX_FIELD_BYTES = 64 * 1024;

interface Result {
  readonly status: number;
  readonly text: string;
  readonly body: { data?: Record<string, unknown> | null; errors?: Array<{ extensions?: Record<string, unknown> }> };
}

/** A GraphQL multipart request with `operations` and `map` exactly as given. */
async function sendMultipart(app: TestApp, operations: string, map: unknown, fileCount = 1): Promise<Result> {
  const form = new FormData();
  form.append('operations', operations);
  form.append('map', JSON.stringify(map));
  for (let index = 0; index < fileCount; index += 1) {
    form.append(String(index), new Blob([TINY_PNG], { type: 'image/png' }), `f${index}.png`);
  }
  const response = await fetch(app.graphqlUrl, {
    method: 'POST',
    body: form,
    headers: { 'Apollo-Require-Preflight': 'true' },
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Result['body'] };
}

const operationsFor = (files: unknown[], ambulanceId: unknown = 'U1') =>
  JSON.stringify({ query: UPLOAD, variables: { ambulanceId, files } });

describe('GraphQL multipart map abuse', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ events: 'local', env: { UPLOAD_MAX_FILES: '3' } });
  });
  after(() => app.close());

  async function assertNothingStored(): Promise<void> {
    const state = await storedState(app);
    assert.equal(state.imageRecords, 0);
    assert.deepEqual(state.files, []);
  }

  it('refuses prototype paths and paths outside the operation with 400, polluting nothing', async () => {
    for (const path of [
      '__proto__.polluted',
      'variables.__proto__.polluted',
      'variables.files.constructor',
      'variables.files.__proto__',
      'variables.files.0.__proto__.polluted',
      'constructor.prototype.polluted',
      'variables.nothing.here',
      'variables.files.length',
      'variables..files',
    ]) {
      const result = await sendMultipart(app, operationsFor([null]), { 0: [path] });
      assert.equal(result.status, 400, `${path}: ${result.text}`);
      assert.equal(result.body.data ?? null, null);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
    }
    await assertNothingStored();
  });

  it('refuses one file mapped to several entries (or another argument) and stores nothing', async () => {
    const twice = await sendMultipart(app, operationsFor([null, null]), {
      0: ['variables.files.0', 'variables.files.1'],
    });
    assert.equal(twice.body.errors?.[0]?.extensions?.code, 'UPLOAD_REJECTED', twice.text);
    assert.equal(twice.body.errors?.[0]?.extensions?.reason, 'FILE_MAPPED_TWICE');
    const many = Array.from({ length: 50 }, (_, index) => `variables.files.${index}`);
    const fanned = await sendMultipart(app, operationsFor(many.map(() => null)), { 0: many });
    assert.equal(fanned.body.errors?.[0]?.extensions?.reason, 'FILE_MAPPED_TWICE', fanned.text);
    const asId = await sendMultipart(app, operationsFor([null], null), { 0: ['variables.ambulanceId'] });
    assert.equal(asId.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', asId.text);
    await assertNothingStored();
  });

  it('refuses a map with more entries than UPLOAD_MAX_FILES with 413, accepts one at the limit', async () => {
    const paths = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, index) => [String(index), [`variables.files.${index}`]]));
    const over = await sendMultipart(app, operationsFor([null, null, null, null]), paths(4), 4);
    assert.equal(over.status, 413, over.text);
    await assertNothingStored();
    const atLimit = await sendMultipart(app, operationsFor([null, null, null]), paths(3), 3);
    assert.equal(atLimit.status, 200, atLimit.text);
    const snapshot = atLimit.body.data?.uploadSnapshot as { images: unknown[] } | undefined;
    assert.equal(snapshot?.images.length, 3);
  });

  it('accepts an operations field of exactly the field size limit and refuses one byte more with 413', async () => {
    const base = operationsFor([null]);
    const padded = (size: number) => `${base.slice(0, -1)}${' '.repeat(size - base.length)}}`;
    const map = { 0: ['variables.files.0'] };
    const atLimit = await sendMultipart(app, padded(MAX_FIELD_BYTES), map);
    assert.equal(atLimit.status, 200, atLimit.text);
    const over = await sendMultipart(app, padded(MAX_FIELD_BYTES + 1), map);
    assert.equal(over.status, 413, over.text);
  });
});
