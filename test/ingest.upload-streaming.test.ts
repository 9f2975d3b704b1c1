import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ENDPOINTS, postRaw, TINY_JPEG, TINY_PNG } from './helpers/http.client.js';
import { assertRefused, listFiles, readUploadedFile, storedState } from './helpers/ingest.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { uniqueName } from './helpers/test-env.js';
import {
  fakePng,
  type MultipartPart,
  multipartBody,
  partialUpload,
  RawUpload,
  until,
} from './helpers/upload.helpers.js';

const MiB = 1024 * 1024;

function postMultipart(app: TestApp, parts: readonly MultipartPart[]) {
  const { body, contentType } = multipartBody(parts);
  return postRaw(`${app.url}${ENDPOINTS.snapshot}`, body, { 'content-type': contentType });
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('snapshot uploads are streamed to disk, checked early and capped', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ events: 'local' });
  });
  after(() => app.close());

  it('refuses a non-image from its first bytes while the client is still sending, leaving no file', async () => {
    const notAnImage = Buffer.alloc(4 * MiB, 0x41);
    const { body, contentType } = multipartBody([
      { name: 'ambulance_id', value: '332' },
      { name: 'photo', data: notAnImage, filename: 'x.png' },
    ]);
    // Only the fields and the first 64 KiB of the 4 MiB file are sent; the rest waits for the answer.
    const sent = body.indexOf(notAnImage.subarray(0, 16)) + 64 * 1024;
    const upload = await RawUpload.open(app.url, contentType, body.length, body.subarray(0, sent));
    const answer = await upload.response();
    assert.equal(answer.status, 415, JSON.stringify(answer.body));
    assert.equal(answer.body.code, 'NOT_AN_IMAGE');
    assert.equal(answer.body.field, 'photo');
    assert.match(answer.head, /connection: close/i);
    await upload.closed;
    upload.destroy();
    assert.deepEqual(await listFiles(app.uploadDir), []);
    assert.equal(app.app.uploadSpool.budget.inFlightBytes, 0);
  });

  it('refuses a body declared larger than any valid upload before reading it (413)', async () => {
    const upload = await RawUpload.open(app.url, 'multipart/form-data; boundary=x', 200 * MiB, new Uint8Array());
    const answer = await upload.response();
    upload.destroy();
    assert.equal(answer.status, 413);
    assert.equal(answer.body.code, 'BODY_TOO_LARGE');
    assert.equal(app.app.uploadSpool.budget.inFlightBytes, 0);
  });

  it('removes the temporary files of an upload refused after its files were written', async () => {
    const before = await storedState(app);
    const image = { name: 'image', data: fakePng(64 * 1024), filename: 'a.png' };
    const cases: Array<{ parts: MultipartPart[]; status: number; code: string }> = [
      { parts: [{ name: 'ambulance_id', value: '../etc' }, image], status: 400, code: 'INVALID_FIELD' },
      { parts: [image], status: 400, code: 'INVALID_FIELD' },
      {
        parts: [
          { name: 'ambulance_id', value: '332' },
          image,
          { name: 'big', data: fakePng(app.config.UPLOAD_MAX_FILE_BYTES + 1), filename: 'b.png' },
        ],
        status: 413,
        code: 'LIMIT_FILE_SIZE',
      },
      {
        parts: [{ name: 'ambulance_id', value: '332' }, image, { name: 'evil', data: Buffer.alloc(100, 1) }],
        status: 415,
        code: 'NOT_AN_IMAGE',
      },
    ];
    for (const { parts, status, code } of cases) {
      assertRefused(await postMultipart(app, parts), { status, code }, code);
      assert.deepEqual(await listFiles(app.uploadDir), before.files, `${code}: no temporary file is left`);
    }
    assert.deepEqual(await storedState(app), before);
    assert.equal(app.app.uploadSpool.budget.inFlightBytes, 0);
  });

  it('stores images under every legacy field name, in order, byte for byte, with no temporary file left', async () => {
    const ambulanceId = uniqueName('u');
    const images = [
      { name: 'image', data: TINY_PNG },
      { name: 'file', data: TINY_JPEG },
      { name: 'images[]', data: fakePng(300 * 1024, 3) },
      { name: 'snapshot', data: TINY_PNG },
      { name: 'photo0', data: TINY_JPEG },
    ];
    const result = await postMultipart(app, [{ name: 'ambulance_id', value: ambulanceId }, ...images]);
    assert.equal(result.status, 200, result.text);
    const record = await app.app.models.collections.imageRecords.findOne({ ambulance_id: ambulanceId });
    const paths = Object.entries(record?.images ?? {});
    assert.deepEqual(
      paths.map(([name]) => name),
      images.map((_, index) => `image${index}`),
    );
    for (const [index, [, storedPath]] of paths.entries()) {
      const stored = await readUploadedFile(app, String(storedPath).replace(/^uploads\//, ''));
      assert.equal(sha256(stored), sha256(images[index]?.data as Uint8Array), String(storedPath));
    }
    assert.ok((await listFiles(app.uploadDir)).every((file) => !file.startsWith('.incoming/')));
  });

  it('holds a bounded number of upload bytes in memory whatever the size of concurrent uploads', async () => {
    const size = 4 * MiB;
    const uploads = [1, 2, 3].map((fill) => fakePng(size, fill));
    const results = await Promise.all(
      uploads.map((data, index) =>
        postMultipart(app, [
          { name: 'ambulance_id', value: `mem${index}` },
          { name: 'image', data },
        ]),
      ),
    );
    for (const result of results) assert.equal(result.status, 200, result.text);
    // Buffered-in-memory bytes stay near the file system's write buffers (tens of KiB per upload), not the
    // 12 MiB received: memoryStorage would have held all of it.
    const peak = app.app.uploadSpool.peakHeldBytes;
    assert.ok(peak > 0, 'bytes were counted');
    assert.ok(peak < 1 * MiB, `at most ${peak} bytes were held at once`);
    assert.equal(app.app.uploadSpool.heldBytes, 0);
    assert.equal(app.app.uploadSpool.budget.inFlightBytes, 0);
    for (const [index, data] of uploads.entries()) {
      const record = await app.app.models.collections.imageRecords.findOne({ ambulance_id: `mem${index}` });
      const stored = await readUploadedFile(app, String(record?.images.image0).replace(/^uploads\//, ''));
      assert.equal(sha256(stored), sha256(data));
    }
  });
});

describe('the in-flight upload cap (UPLOAD_MAX_INFLIGHT_BYTES)', () => {
  const CAP = 8192;
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      events: 'local',
      env: { UPLOAD_MAX_FILES: '2', UPLOAD_MAX_FILE_BYTES: '4096', UPLOAD_MAX_INFLIGHT_BYTES: String(CAP) },
    });
  });
  after(() => app.close());

  /** Holds an upload open that has sent `bytes` of its files and no more, once the server has reserved them. */
  async function holdOpen(bytes: number): Promise<RawUpload> {
    const upload = await partialUpload(app.url, { sent: bytes, fileBytes: 4096 });
    await until(() => app.app.uploadSpool.budget.inFlightBytes, bytes);
    return upload;
  }

  async function letGo(upload: RawUpload): Promise<void> {
    upload.destroy();
    await until(() => app.app.uploadSpool.budget.inFlightBytes, 0);
  }

  it('answers 503 UPLOAD_CAPACITY_EXCEEDED with Retry-After one byte past the cap, and accepts at the cap', async () => {
    const parts: MultipartPart[] = [
      { name: 'ambulance_id', value: '332' },
      { name: 'image', data: TINY_PNG },
    ];
    const size = multipartBody(parts).body.length;

    const over = await holdOpen(CAP - size + 1);
    const refused = await postMultipart(app, parts);
    assertRefused(refused, { status: 503, code: 'UPLOAD_CAPACITY_EXCEEDED' });
    assert.equal(refused.headers.get('retry-after'), '5');
    await letGo(over);

    const at = await holdOpen(CAP - size);
    const accepted = await postMultipart(app, parts);
    assert.equal(accepted.status, 200, accepted.text);
    await letGo(at);
    assert.ok((await listFiles(app.uploadDir)).every((file) => !file.startsWith('.incoming/')));
  });

  it('refusal at the cap mid-stream (a chunked body) releases its share and keeps the others', async () => {
    const held = 6000;
    const holder = await partialUpload(app.url, { sent: held, fileBytes: 4096 });
    await until(() => app.app.uploadSpool.budget.inFlightBytes, held);
    const { body, contentType } = multipartBody([
      { name: 'ambulance_id', value: '333' },
      { name: 'image', data: fakePng(4096), filename: 'a.png' },
    ]);
    // Without Content-Length nothing is declared: the budget runs out while the file arrives.
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(body);
        controller.close();
      },
    });
    const refused = await fetch(`${app.url}${ENDPOINTS.snapshot}`, {
      method: 'POST',
      body: chunked,
      headers: { 'content-type': contentType },
      duplex: 'half',
    } as RequestInit);
    assert.equal(refused.status, 503);
    assert.equal(((await refused.json()) as Record<string, unknown>).code, 'UPLOAD_CAPACITY_EXCEEDED');
    await until(() => app.app.uploadSpool.budget.inFlightBytes, held);
    await letGo(holder);
    const accepted = await postMultipart(app, [
      { name: 'ambulance_id', value: '332' },
      { name: 'image', data: TINY_PNG },
    ]);
    assert.equal(accepted.status, 200, accepted.text);
  });
});
