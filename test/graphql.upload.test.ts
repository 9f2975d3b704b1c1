import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Types } from 'mongoose';
import { graphqlRequest, subscribe, wsClient } from './helpers/graphql.client.js';
import { graphqlMultipart, type MultipartFile, type MultipartResult } from './helpers/graphql.helpers.js';
import { postImages, TINY_JPEG, TINY_PNG } from './helpers/http.client.js';
import { startTestApp, type TestApp, waitForSubscribers } from './helpers/test-app.js';

interface SnapshotResult {
  id: string;
  ambulanceId: string;
  createdAt: string;
  images: Array<{ name: string; url: string }>;
}

const UPLOAD = `mutation Upload($ambulanceId: ID!, $files: [Upload!]!) {
  uploadSnapshot(ambulanceId: $ambulanceId, files: $files) { id ambulanceId createdAt images { name url } }
}`;

const TEXT_FILE: MultipartFile = {
  data: Buffer.from('just some text, not an image\n'),
  name: 'a.png',
  type: 'image/png',
};
const PNG: MultipartFile = { data: TINY_PNG, name: 'a.png', type: 'image/png' };
const JPEG: MultipartFile = { data: TINY_JPEG, name: 'b.jpg', type: 'image/jpeg' };

const URL_PATTERN = (id: string, extension: string) =>
  new RegExp(
    `^/uploads/ambulance_images/${id}/\\d{4}/\\d{2}/\\d{2}/\\d{2}_\\d{2}/\\d{2}_\\d{2}_\\d{4}\\.${extension}$`,
  );

function upload(app: TestApp, ambulanceId: string, files: readonly MultipartFile[], headers?: Record<string, string>) {
  return graphqlMultipart(app.graphqlUrl, UPLOAD, { ambulanceId }, 'files', files, headers);
}

function snapshotOf(result: MultipartResult): SnapshotResult {
  assert.equal(result.status, 200, result.text);
  assert.equal(result.body?.errors, undefined, result.text);
  const snapshot = result.body?.data?.uploadSnapshot as SnapshotResult | undefined;
  assert.ok(snapshot, result.text);
  return snapshot;
}

function assertRejected(result: MultipartResult, code: string, reason?: string): void {
  const error = result.body?.errors?.[0];
  assert.equal(error?.extensions?.code, code, result.text);
  if (reason) assert.equal(error?.extensions?.reason, reason, result.text);
  assert.equal(result.body?.data?.uploadSnapshot ?? null, null);
  assert.ok(!result.text.includes('stacktrace'), 'stacktrace leaked');
}

/** Every file under a directory, as paths relative to it. */
async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
    .sort();
}

const diskPathOf = (app: TestApp, url: string) =>
  path.join(
    app.uploadDir,
    ...url
      .replace(/^\/uploads\//, '')
      .split('/')
      .map(decodeURIComponent),
  );

async function storedCounts(app: TestApp, ambulanceId: string) {
  const { collections } = app.app.models;
  return {
    records: await collections.imageRecords.countDocuments({ ambulance_id: ambulanceId }),
    histories: await collections.imageHistories.countDocuments({ ambulance_id: ambulanceId }),
    ambulance: await collections.ambulances.countDocuments({ _id: ambulanceId }),
  };
}

const NOTHING = { records: 0, histories: 0, ambulance: 0 };

describe('uploadSnapshot over a GraphQL multipart request', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });

  it('stores an image in the legacy layout and records, serves it, and publishes it', async () => {
    const client = wsClient(app.wsUrl);
    const subscription = subscribe<SnapshotResult>(
      client,
      'subscription($id: ID) { snapshotUploaded(ambulanceId: $id) { id ambulanceId createdAt images { name url } } }',
      { id: 'U1' },
    );
    try {
      await waitForSubscribers(app, 1);
      const snapshot = snapshotOf(await upload(app, 'U1', [PNG]));
      assert.equal(snapshot.ambulanceId, 'U1');
      assert.match(snapshot.id, /^[0-9a-f]{24}$/);
      assert.equal(snapshot.images.length, 1);
      assert.equal(snapshot.images[0]?.name, 'image0');
      const url = snapshot.images[0]?.url ?? '';
      assert.match(url, URL_PATTERN('U1', 'png'));

      // On disk under UPLOAD_DIR, in the legacy layout.
      assert.deepEqual(await readFile(diskPathOf(app, url)), TINY_PNG);
      assert.deepEqual(await filesUnder(app.uploadDir), [url.replace(/^\/uploads\//, '')]);

      // Legacy records: ambulance_images points at ambulance_image_histories; both map image0 to the path.
      const { collections } = app.app.models;
      const record = await collections.imageRecords.findOne({ _id: new Types.ObjectId(snapshot.id) });
      assert.ok(record);
      assert.equal(record.ambulance_id, 'U1');
      assert.deepEqual(record.images, { image0: `uploads/${url.replace(/^\/uploads\//, '')}` });
      assert.equal(record.createdAt.toISOString(), snapshot.createdAt);
      assert.ok(record.ambulance_image_histories_id instanceof Types.ObjectId);
      const history = await collections.imageHistories.findOne({ _id: record.ambulance_image_histories_id });
      assert.ok(history);
      assert.equal(history.ambulance_id, 'U1');
      assert.deepEqual(history.images, record.images);
      assert.deepEqual(await storedCounts(app, 'U1'), { records: 1, histories: 1, ambulance: 1 });

      // Served at its URL.
      const served = await fetch(`${app.url}${url}`);
      assert.equal(served.status, 200);
      assert.match(served.headers.get('content-type') ?? '', /^image\/png/);
      assert.deepEqual(Buffer.from(await served.arrayBuffer()), TINY_PNG);

      // And readable through the query.
      const listed = await graphqlRequest<{ snapshots: { edges: Array<{ node: SnapshotResult }> } }>(
        app.graphqlUrl,
        '{ snapshots(ambulanceId: "U1") { edges { node { id ambulanceId createdAt images { name url } } } } }',
      );
      assert.deepEqual(
        listed.data?.snapshots.edges.map((edge) => edge.node),
        [snapshot],
      );

      const [event] = await subscription.waitFor(1);
      assert.deepEqual(event, snapshot);
      assert.deepEqual(subscription.errors, []);
    } finally {
      subscription.dispose();
      await client.dispose();
    }
  });

  it('stores several files as image0, image1, ... in the order sent', async () => {
    const snapshot = snapshotOf(await upload(app, 'U2', [JPEG, PNG, JPEG]));
    assert.deepEqual(
      snapshot.images.map((image) => image.name),
      ['image0', 'image1', 'image2'],
    );
    assert.match(snapshot.images[0]?.url ?? '', URL_PATTERN('U2', 'jpg'));
    assert.match(snapshot.images[1]?.url ?? '', URL_PATTERN('U2', 'png'));
    assert.match(snapshot.images[2]?.url ?? '', URL_PATTERN('U2', 'jpg'));
    assert.equal(new Set(snapshot.images.map((image) => image.url)).size, 3);
    const expected = [TINY_JPEG, TINY_PNG, TINY_JPEG];
    for (const [index, image] of snapshot.images.entries()) {
      assert.deepEqual(await readFile(diskPathOf(app, image.url)), expected[index]);
    }
  });

  it('refuses a multipart request without the CSRF preflight header, before storing anything', async () => {
    const before = await filesUnder(app.uploadDir);
    const result = await upload(app, 'U-csrf', [PNG], {});
    assert.equal(result.status, 400, result.text);
    assert.equal(result.body?.errors?.[0]?.extensions?.code, 'BAD_REQUEST');
    assert.equal(result.body?.data, undefined);
    assert.deepEqual(await storedCounts(app, 'U-csrf'), NOTHING);
    assert.deepEqual(await filesUnder(app.uploadDir), before);
    await assert.rejects(stat(path.join(app.uploadDir, 'ambulance_images', 'U-csrf')));
  });

  it('rejects a file that is not an image with UPLOAD_REJECTED and stores nothing', async () => {
    const before = await filesUnder(app.uploadDir);
    assertRejected(await upload(app, 'U-text', [TEXT_FILE]), 'UPLOAD_REJECTED', 'NOT_AN_IMAGE');
    // One bad file refuses the whole upload, including the good one before it.
    assertRejected(await upload(app, 'U-text', [PNG, TEXT_FILE]), 'UPLOAD_REJECTED', 'NOT_AN_IMAGE');
    assert.deepEqual(await storedCounts(app, 'U-text'), NOTHING);
    assert.deepEqual(await filesUnder(app.uploadDir), before);
  });

  it('rejects an upload without files with UPLOAD_REJECTED', async () => {
    assertRejected(await upload(app, 'U-empty', []), 'UPLOAD_REJECTED', 'NO_FILES');
    assert.deepEqual(await storedCounts(app, 'U-empty'), NOTHING);
  });

  it('refuses an invalid ambulance id and writes nothing anywhere', async () => {
    const before = await filesUnder(app.uploadDir);
    for (const ambulanceId of ['../x', '..', '../../etc', 'a/b', '', 'x'.repeat(65)]) {
      const result = await upload(app, ambulanceId, [PNG]);
      assertRejected(result, 'BAD_USER_INPUT');
      assert.equal(result.body?.errors?.[0]?.extensions?.argumentName, 'ambulanceId');
      assert.deepEqual(await storedCounts(app, ambulanceId), NOTHING);
    }
    assert.deepEqual(await filesUnder(app.uploadDir), before);
  });

  it('produces the same record shapes as the REST upload', async () => {
    const rest = await postImages(app.url, 'U-same', [{ field: 'image', data: TINY_PNG }]);
    assert.equal(rest.status, 200, rest.text);
    snapshotOf(await upload(app, 'U-same', [PNG]));
    const { collections } = app.app.models;
    const records = await collections.imageRecords.find({ ambulance_id: 'U-same' }).sort({ createdAt: 1 }).toArray();
    const histories = await collections.imageHistories
      .find({ ambulance_id: 'U-same' })
      .sort({ createdAt: 1 })
      .toArray();
    assert.equal(records.length, 2);
    assert.equal(histories.length, 2);
    const shapeOf = (doc: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(doc)
          .map(([key, value]): [string, string] => [
            key,
            value instanceof Types.ObjectId ? 'ObjectId' : value instanceof Date ? 'Date' : typeof value,
          ])
          .sort(([a], [b]) => a.localeCompare(b)),
      );
    const [restRecord, graphqlRecord] = records as unknown as [Record<string, unknown>, Record<string, unknown>];
    assert.deepEqual(shapeOf(graphqlRecord), shapeOf(restRecord));
    assert.deepEqual(shapeOf(restRecord), {
      _id: 'ObjectId',
      ambulance_id: 'string',
      ambulance_image_histories_id: 'ObjectId',
      createdAt: 'Date',
      images: 'object',
      // The record's position in the snapshot log, and the log's watermark then (docs/resume.md).
      seq: 'number',
      settled_seq: 'number',
    });
    const [restHistory, graphqlHistory] = histories as unknown as [Record<string, unknown>, Record<string, unknown>];
    assert.deepEqual(shapeOf(graphqlHistory), shapeOf(restHistory));
    for (const [record, history] of [
      [restRecord, restHistory],
      [graphqlRecord, graphqlHistory],
    ] as const) {
      assert.deepEqual(Object.keys(record.images as object), ['image0']);
      assert.match(
        (record.images as { image0: string }).image0,
        /^uploads\/ambulance_images\/U-same\/\d{4}\/\d{2}\/\d{2}\/\d{2}_\d{2}\/\d{2}_\d{2}_\d{4}\.png$/,
      );
      assert.deepEqual(history.images, record.images);
      assert.deepEqual(record.ambulance_image_histories_id, history._id);
    }
  });

  it('has HTTP batching off: a JSON array of operations is refused', async () => {
    const response = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ ambulances { id } }' }, { query: '{ __typename }' }]),
    });
    assert.ok(response.status >= 400 && response.status < 500, `status ${response.status}`);
    const text = await response.text();
    assert.doesNotMatch(text, /"ambulances"|"__typename"/);
    assert.doesNotMatch(text, /stacktrace|node_modules/);
  });
});

describe('uploadSnapshot limits', () => {
  let app: TestApp;
  const padded = (size: number): MultipartFile => ({
    data: Buffer.concat([TINY_PNG, Buffer.alloc(size - TINY_PNG.length, 7)]),
    name: 'big.png',
    type: 'image/png',
  });

  before(async () => {
    app = await startTestApp({ env: { UPLOAD_MAX_FILES: '2', UPLOAD_MAX_FILE_BYTES: '1000' } });
  });
  after(async () => {
    await app.close();
  });

  it('accepts the limits exactly: 2 files of 1000 bytes', async () => {
    const snapshot = snapshotOf(await upload(app, 'L-ok', [padded(1000), padded(1000)]));
    assert.equal(snapshot.images.length, 2);
    for (const image of snapshot.images) {
      assert.equal((await readFile(diskPathOf(app, image.url))).length, 1000);
    }
  });

  it('refuses more files than UPLOAD_MAX_FILES and stores nothing', async () => {
    const before = await filesUnder(app.uploadDir);
    const result = await upload(app, 'L-many', [PNG, PNG, PNG]);
    assert.equal(result.status, 413, result.text);
    assert.equal(result.body?.data ?? null, null);
    assert.ok((result.body?.errors?.length ?? 0) > 0, result.text);
    assert.deepEqual(await storedCounts(app, 'L-many'), NOTHING);
    assert.deepEqual(await filesUnder(app.uploadDir), before);
  });

  it('refuses a file just above UPLOAD_MAX_FILE_BYTES with UPLOAD_REJECTED and stores nothing', async () => {
    const before = await filesUnder(app.uploadDir);
    assertRejected(await upload(app, 'L-big', [padded(1001)]), 'UPLOAD_REJECTED', 'FILE_TOO_LARGE');
    assertRejected(await upload(app, 'L-big', [PNG, padded(1001)]), 'UPLOAD_REJECTED', 'FILE_TOO_LARGE');
    assert.deepEqual(await storedCounts(app, 'L-big'), NOTHING);
    assert.deepEqual(await filesUnder(app.uploadDir), before);
  });

  it('refuses a much larger file instead of storing a truncated copy', async () => {
    const before = await filesUnder(app.uploadDir);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const result = await upload(app, 'L-huge', [padded(512 * 1024)]);
      assertRejected(result, 'UPLOAD_REJECTED', 'FILE_TOO_LARGE');
    }
    assert.deepEqual(await storedCounts(app, 'L-huge'), NOTHING);
    assert.deepEqual(await filesUnder(app.uploadDir), before);
  });
});

describe('uploadSnapshot limits with a larger file limit', () => {
  let app: TestApp;
  const LIMIT = 256 * 1024;

  before(async () => {
    app = await startTestApp({ env: { UPLOAD_MAX_FILE_BYTES: String(LIMIT) } });
  });
  after(async () => {
    await app.close();
  });

  it('refuses a file several times the limit instead of storing its first UPLOAD_MAX_FILE_BYTES', async () => {
    const huge: MultipartFile = {
      data: Buffer.concat([TINY_PNG, Buffer.alloc(4 * LIMIT, 7)]),
      name: 'huge.png',
      type: 'image/png',
    };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const result = await upload(app, 'B-huge', [huge]);
      assertRejected(result, 'UPLOAD_REJECTED', 'FILE_TOO_LARGE');
    }
    assert.deepEqual(await storedCounts(app, 'B-huge'), NOTHING);
    assert.deepEqual(await filesUnder(app.uploadDir), []);
  });
});

describe('uploadSnapshot shares the upload bytes in flight with the REST endpoint', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });

  it('refuses with UPLOAD_CAPACITY_EXCEEDED while other uploads hold the budget, and releases what it read', async () => {
    const { budget } = app.app.uploadSpool;
    // Stands for REST uploads in progress: all but a few bytes of the cap are taken.
    const held = budget.reserve(budget.maxBytes - Math.floor(TINY_PNG.length / 2));
    assert.ok(held);
    try {
      assertRejected(await upload(app, 'CAP1', [PNG]), 'UPLOAD_REJECTED', 'UPLOAD_CAPACITY_EXCEEDED');
      assert.equal(budget.inFlightBytes, budget.maxBytes - Math.floor(TINY_PNG.length / 2), 'its bytes released');
      assert.deepEqual(await storedCounts(app, 'CAP1'), NOTHING);
    } finally {
      held.release();
    }
    // Just inside: the file fits exactly in what is left.
    const exact = budget.reserve(budget.maxBytes - TINY_PNG.length);
    assert.ok(exact);
    try {
      snapshotOf(await upload(app, 'CAP1', [PNG]));
    } finally {
      exact.release();
    }
    assert.equal(budget.inFlightBytes, 0);
  });
});
