/**
 * Every way out of a snapshot upload releases the upload budget it held: the budget's in-use bytes return to 0
 * and a normal upload succeeds afterwards. Nothing is reserved before the network and device key checks, and
 * nothing for bytes only declared.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENDPOINTS, postRaw, TINY_PNG } from './helpers/http.client.js';
import { assertRefused, listFiles } from './helpers/ingest.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { fakePng, multipartBody, partialUpload, RawUpload, until } from './helpers/upload.helpers.js';

const KEY = 'key-332-0123456789abcdef';
const MiB = 1024 * 1024;
const GUARDED = { timeout: 30_000 };

/** A small valid snapshot upload with the device key; `extra` headers override. */
function normalUpload(app: TestApp, extra: Record<string, string> = {}) {
  const { body, contentType } = multipartBody([
    { name: 'ambulance_id', value: '332' },
    { name: 'image', data: TINY_PNG, filename: 'a.png' },
  ]);
  return postRaw(`${app.url}${ENDPOINTS.snapshot}`, body, {
    'content-type': contentType,
    'x-device-key': KEY,
    ...extra,
  });
}

const inFlight = (app: TestApp) => app.app.uploadSpool.budget.inFlightBytes;

async function assertReleasedAndWorking(app: TestApp): Promise<void> {
  await until(() => inFlight(app), 0);
  assert.ok(
    (await listFiles(app.uploadDir)).every((file) => !file.startsWith('.incoming/')),
    'no temporary file',
  );
  const after = await normalUpload(app);
  assert.equal(after.status, 200, after.text);
  assert.equal(inFlight(app), 0);
}

describe('snapshot uploads release their budget on every path (device key required)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      events: 'local',
      env: { INGEST_REQUIRE_DEVICE_KEY: 'snapshot', INGEST_DEVICE_KEYS: `332:${KEY}` },
    });
  });
  after(() => app.close());

  it(
    'parser set-up error: a multipart body without a boundary reserves nothing (400 MALFORMED_BODY)',
    GUARDED,
    async () => {
      for (const declared of [52_428_800, 14_680_064]) {
        const upload = await RawUpload.open(app.url, 'multipart/form-data', declared, new Uint8Array());
        const answer = await upload.response();
        upload.destroy();
        assert.equal(answer.status, 400);
        assert.equal(answer.body.code, 'MALFORMED_BODY');
        assert.equal(inFlight(app), 0);
      }
      await assertReleasedAndWorking(app);
    },
  );

  it('declared but unsent bytes reserve nothing: idle uploads of 50 + 14 MiB block no one', GUARDED, async () => {
    const idle = [
      await RawUpload.open(app.url, 'multipart/form-data; boundary=idle', 50 * MiB, new Uint8Array(), {
        'x-device-key': KEY,
      }),
      await RawUpload.open(app.url, 'multipart/form-data; boundary=idle', 14 * MiB, new Uint8Array()),
    ];
    try {
      const accepted = await normalUpload(app);
      assert.equal(accepted.status, 200, accepted.text);
      assert.ok(
        idle.every((upload) => !upload.answered),
        'the idle uploads are still open',
      );
      assert.equal(inFlight(app), 0);
    } finally {
      for (const upload of idle) upload.destroy();
    }
    await assertReleasedAndWorking(app);
  });

  it('reserves the bytes actually sent, and an aborted connection releases them', GUARDED, async () => {
    const sent = 256 * 1024;
    const upload = await partialUpload(app.url, { sent, fileBytes: 4 * MiB, headers: { 'x-device-key': KEY } });
    await until(() => inFlight(app), sent);
    upload.destroy();
    await assertReleasedAndWorking(app);
  });

  it('refusal: the device key is checked before any file byte is accepted or reserved', GUARDED, async () => {
    const cases: Array<{
      headers: Record<string, string>;
      fields?: Record<string, string>;
      status: number;
      code: string;
    }> = [
      { headers: { 'x-device-key': 'wrong-key-0123456789' }, status: 403, code: 'DEVICE_KEY_INVALID' },
      { headers: {}, status: 401, code: 'DEVICE_KEY_REQUIRED' },
      { headers: { 'x-device-key': KEY }, fields: { other: 'x' }, status: 400, code: 'INVALID_FIELD' },
    ];
    for (const { headers, fields, status, code } of cases) {
      // 64 KiB of a 4 MiB file are sent; the answer comes without the rest.
      const upload = await partialUpload(app.url, {
        sent: 64 * 1024,
        fileBytes: 4 * MiB,
        headers,
        ...(fields ? { fields } : {}),
      });
      const answer = await upload.response();
      upload.destroy();
      assert.equal(answer.status, status, JSON.stringify(answer.body));
      assert.equal(answer.body.code, code);
      assert.equal(inFlight(app), 0, code);
    }
    const fieldKey = await partialUpload(app.url, {
      sent: 64 * 1024,
      fileBytes: 4 * MiB,
      fields: { ambulance_id: '332', device_key: 'wrong-key-0123456789' },
    });
    assert.equal((await fieldKey.response()).body.code, 'DEVICE_KEY_INVALID');
    fieldKey.destroy();
    const { body, contentType } = multipartBody([
      { name: 'ambulance_id', value: '332' },
      { name: 'device_key', value: KEY },
      { name: 'image', data: TINY_PNG, filename: 'a.png' },
    ]);
    const keyInField = await postRaw(`${app.url}${ENDPOINTS.snapshot}`, body, { 'content-type': contentType });
    assert.equal(keyInField.status, 200, keyInField.text);
    await assertReleasedAndWorking(app);
  });

  it('refusal after files were written (not an image) releases what they held', GUARDED, async () => {
    const { body, contentType } = multipartBody([
      { name: 'ambulance_id', value: '332' },
      { name: 'image', data: fakePng(512 * 1024), filename: 'a.png' },
      { name: 'evil', data: Buffer.alloc(100, 1), filename: 'b.png' },
    ]);
    assertRefused(
      await postRaw(`${app.url}${ENDPOINTS.snapshot}`, body, { 'content-type': contentType, 'x-device-key': KEY }),
      { status: 415, code: 'NOT_AN_IMAGE' },
    );
    await assertReleasedAndWorking(app);
  });
});

describe('snapshot uploads with a small budget and a 1 s body timeout', () => {
  const FILE_BYTES = 4096;
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      events: 'local',
      env: {
        UPLOAD_MAX_FILES: '2',
        UPLOAD_MAX_FILE_BYTES: String(FILE_BYTES),
        UPLOAD_MAX_INFLIGHT_BYTES: String(2 * FILE_BYTES),
        UPLOAD_BODY_TIMEOUT_SECONDS: '1',
      },
    });
  });
  after(() => app.close());

  it(
    'timeout: a body still arriving after UPLOAD_BODY_TIMEOUT_SECONDS is cut with 408 and released',
    GUARDED,
    async () => {
      for (const sent of [0, 3000]) {
        const upload = await partialUpload(app.url, { sent, fileBytes: FILE_BYTES });
        const answer = await upload.response();
        assert.equal(answer.status, 408, JSON.stringify(answer.body));
        assert.equal(answer.body.code, 'BODY_TIMEOUT');
        assert.match(String(answer.body.error), /within 1 s/);
        assert.match(answer.head, /connection: close/i);
        await upload.closed;
        await assertReleasedAndWorking(app);
      }
    },
  );
});
