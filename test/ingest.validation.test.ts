import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type BodyKind,
  ENDPOINTS,
  getUrl,
  type HttpResult,
  postFields,
  postImages,
  postRaw,
  TINY_JPEG,
  TINY_PNG,
  trackingFields,
} from './helpers/http.client.js';
import { assertRefused, multipartForm, type StoredState, storedState } from './helpers/ingest.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

/** One bad request and the refusal it must get. */
interface BadCase {
  readonly name: string;
  readonly send: () => Promise<HttpResult>;
  readonly status: number;
  readonly code?: string;
  readonly field?: string;
}

const POSITION_ENDPOINTS = [ENDPOINTS.tracking, ENDPOINTS.crash] as const;
const NUMERIC_FIELDS = ['tracking_latitude', 'tracking_longitude', 'tracking_speed', 'tracking_heading'] as const;
const REQUIRED_FIELDS = ['ambulance_id', ...NUMERIC_FIELDS] as const;

/** Values no numeric field may take, as JSON values (strings are sent as strings). */
const BAD_NUMBERS: readonly unknown[] = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '0x10',
  '',
  '   ',
  '12abc',
  '1,5',
  true,
  false,
  [],
  [45],
  {},
  { $ne: 1 },
  { $gt: '' },
  null,
];

/** Values ambulance_id may not take (numeric-looking strings such as "NaN" are valid ids). */
const BAD_AMBULANCE_IDS: readonly unknown[] = ['', true, [], ['332'], {}, { $ne: 1 }, { $gt: '' }, null, 3.5, -1];

/** ambulance_id values that would escape or confuse the upload folder layout. */
const TRAVERSAL_IDS: readonly string[] = [
  '../../etc',
  '..',
  '.',
  'a/b',
  'a\\b',
  '332%2F..',
  '332/..',
  '/etc/passwd',
  'x'.repeat(65),
  '救急車',
  '332é',
  ' 332',
  '332\u0000',
];

const OUT_OF_RANGE: ReadonlyArray<[string, unknown]> = [
  ['tracking_latitude', 90.0001],
  ['tracking_latitude', -90.0001],
  ['tracking_latitude', '90.0001'],
  ['tracking_longitude', 180.5],
  ['tracking_longitude', -180.5],
  ['tracking_longitude', '180.5'],
  ['tracking_heading', -1],
  ['tracking_heading', 360.5],
  ['tracking_heading', '360.5'],
  ['tracking_speed', -1],
  ['tracking_speed', -0.01],
  ['tracking_speed', '-5'],
  ['tracking_speed', 1e6],
];

const short = (value: unknown) => JSON.stringify(value) ?? String(value);

const validFields = (ambulanceId = '332') => ({
  ambulance_id: ambulanceId,
  tracking_latitude: 45.5,
  tracking_longitude: -73.6,
  tracking_speed: 50,
  tracking_heading: 90,
});

/** A form body from raw `key=value` pairs, so keys such as `ambulance_id[$ne]` and repeats go out verbatim. */
const formBody = (pairs: ReadonlyArray<[string, string]>) =>
  pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');

const VALID_FORM_PAIRS: ReadonlyArray<[string, string]> = [
  ['ambulance_id', '332'],
  ['tracking_latitude', '45.5'],
  ['tracking_longitude', '-73.6'],
  ['tracking_speed', '50'],
  ['tracking_heading', '90'],
];

const withoutKey = (key: string) => VALID_FORM_PAIRS.filter(([name]) => name !== key);

const FORM_CONTENT_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_CONTENT_TYPE = { 'content-type': 'application/json' };

/** Runs bad cases one by one and checks each refusal, that nothing was stored and that the server still answers. */
async function expectAllRefused(app: TestApp, cases: readonly BadCase[]): Promise<void> {
  assert.ok(cases.length > 0);
  const before = await storedState(app);
  for (const badCase of cases) assertRefused(await badCase.send(), badCase, badCase.name);
  assertSameState(await storedState(app), before);
  await assertServing(app);
}

function assertSameState(actual: StoredState, expected: StoredState): void {
  assert.deepEqual(actual, expected, 'a refused request stored something');
}

async function assertServing(app: TestApp): Promise<void> {
  const response = await getUrl(`${app.url}/error_codes`);
  assert.equal(response.status, 200);
  assert.deepEqual(response.body, { 500: 'Error on server.' });
}

describe('legacy ingest validation', () => {
  let app: TestApp;
  /** Small limits: INGEST_MAX_BODY_BYTES 512, UPLOAD_MAX_FILES 2, UPLOAD_MAX_FILE_BYTES 1024. */
  let limited: TestApp;

  before(async () => {
    [app, limited] = await Promise.all([
      startTestApp({ events: 'local' }),
      startTestApp({
        events: 'local',
        env: { INGEST_MAX_BODY_BYTES: '512', UPLOAD_MAX_FILES: '2', UPLOAD_MAX_FILE_BYTES: '1024' },
      }),
    ]);
  });
  after(async () => {
    await Promise.all([app?.close(), limited?.close()]);
  });

  const url = (target: TestApp, endpoint: string) => `${target.url}${endpoint}`;

  // --- case builders (they read `app`/`limited` lazily, when sent) ---

  function missingFieldCases(): BadCase[] {
    const cases: BadCase[] = [];
    for (const endpoint of POSITION_ENDPOINTS) {
      for (const field of REQUIRED_FIELDS) {
        for (const kind of ['json', 'form', 'multipart'] as const satisfies readonly BodyKind[]) {
          const fields: Record<string, unknown> = validFields();
          delete fields[field];
          cases.push({
            name: `${endpoint} ${kind} without ${field}`,
            send: () => postFields(url(app, endpoint), fields, kind),
            status: 400,
            code: 'INVALID_FIELD',
            field,
          });
        }
      }
    }
    return cases;
  }

  function outOfRangeCases(): BadCase[] {
    const cases: BadCase[] = [];
    for (const endpoint of POSITION_ENDPOINTS) {
      for (const [field, value] of OUT_OF_RANGE) {
        for (const kind of ['json', 'form'] as const) {
          cases.push({
            name: `${endpoint} ${kind} ${field}=${short(value)}`,
            send: () => postFields(url(app, endpoint), { ...validFields(), [field]: value }, kind),
            status: 400,
            code: 'INVALID_FIELD',
            field,
          });
        }
      }
    }
    return cases;
  }

  function badValueCases(): BadCase[] {
    const cases: BadCase[] = [];
    for (const endpoint of POSITION_ENDPOINTS) {
      for (const field of NUMERIC_FIELDS) {
        for (const value of BAD_NUMBERS) {
          cases.push({
            name: `${endpoint} JSON ${field}=${short(value)}`,
            send: () => postFields(url(app, endpoint), { ...validFields(), [field]: value }),
            status: 400,
            code: 'INVALID_FIELD',
            field,
          });
        }
        for (const value of ['NaN', 'Infinity', '1e999', '0x10', '', '12abc', 'true']) {
          cases.push({
            name: `${endpoint} form ${field}=${value}`,
            send: () => postFields(url(app, endpoint), { ...validFields(), [field]: value }, 'form'),
            status: 400,
            code: 'INVALID_FIELD',
            field,
          });
        }
      }
      for (const value of BAD_AMBULANCE_IDS) {
        cases.push({
          name: `${endpoint} JSON ambulance_id=${short(value)}`,
          send: () => postFields(url(app, endpoint), { ...validFields(), ambulance_id: value }),
          status: 400,
          code: 'INVALID_FIELD',
          field: 'ambulance_id',
        });
      }
    }
    return cases;
  }

  function operatorAndRepeatCases(): BadCase[] {
    const cases: BadCase[] = [];
    for (const endpoint of POSITION_ENDPOINTS) {
      const formCases: Array<[string, ReadonlyArray<[string, string]>, string]> = [
        ['ambulance_id[$ne]=1', [...withoutKey('ambulance_id'), ['ambulance_id[$ne]', '1']], 'ambulance_id'],
        ['ambulance_id[$gt]=', [...withoutKey('ambulance_id'), ['ambulance_id[$gt]', '']], 'ambulance_id'],
        ['tracking_speed[$gt]=0', [...withoutKey('tracking_speed'), ['tracking_speed[$gt]', '0']], 'tracking_speed'],
        ['repeated ambulance_id', [...VALID_FORM_PAIRS, ['ambulance_id', '333']], 'ambulance_id'],
        ['repeated tracking_latitude', [...VALID_FORM_PAIRS, ['tracking_latitude', '46']], 'tracking_latitude'],
        ['repeated tracking_heading', [...VALID_FORM_PAIRS, ['tracking_heading', '90']], 'tracking_heading'],
      ];
      for (const [name, pairs, field] of formCases) {
        cases.push({
          name: `${endpoint} form ${name}`,
          send: () => postRaw(url(app, endpoint), formBody(pairs), FORM_CONTENT_TYPE),
          status: 400,
          code: 'INVALID_FIELD',
          field,
        });
        cases.push({
          name: `${endpoint} multipart ${name}`,
          send: () => postRaw(url(app, endpoint), multipartForm(pairs.map(([key, value]) => ({ name: key, value })))),
          status: 400,
          code: 'INVALID_FIELD',
          field,
        });
      }
      cases.push({
        name: `${endpoint} raw form ambulance_id=332%2F..`,
        send: () =>
          postRaw(
            url(app, endpoint),
            `${formBody(withoutKey('ambulance_id'))}&ambulance_id=332%2F..`,
            FORM_CONTENT_TYPE,
          ),
        status: 400,
        code: 'INVALID_FIELD',
        field: 'ambulance_id',
      });
    }
    return cases;
  }

  function traversalCases(): BadCase[] {
    const cases: BadCase[] = [];
    for (const ambulanceId of TRAVERSAL_IDS) {
      for (const endpoint of POSITION_ENDPOINTS) {
        for (const kind of ['json', 'form'] as const) {
          cases.push({
            name: `${endpoint} ${kind} ambulance_id=${short(ambulanceId)}`,
            send: () => postFields(url(app, endpoint), validFields(ambulanceId), kind),
            status: 400,
            code: 'INVALID_FIELD',
            field: 'ambulance_id',
          });
        }
      }
      cases.push({
        name: `snapshot with a file, ambulance_id=${short(ambulanceId)}`,
        send: () => postImages(app.url, ambulanceId, [{ field: 'file', data: TINY_PNG }]),
        status: 400,
        code: 'INVALID_FIELD',
        field: 'ambulance_id',
      });
    }
    return cases;
  }

  function bodyCases(): BadCase[] {
    const cases: BadCase[] = [];
    for (const endpoint of POSITION_ENDPOINTS) {
      const send = (body: RequestInit['body'], headers: Record<string, string>) => () =>
        postRaw(url(app, endpoint), body, headers);
      cases.push(
        {
          name: `${endpoint} malformed JSON`,
          send: send('{"ambulance_id": "332", "tracking_latitude": ', JSON_CONTENT_TYPE),
          status: 400,
          code: 'MALFORMED_BODY',
        },
        {
          name: `${endpoint} JSON with a trailing comma`,
          send: send(`${JSON.stringify(validFields()).slice(0, -1)},}`, JSON_CONTENT_TYPE),
          status: 400,
          code: 'MALFORMED_BODY',
        },
        {
          name: `${endpoint} JSON array body`,
          send: send(JSON.stringify([validFields()]), JSON_CONTENT_TYPE),
          status: 400,
          code: 'MALFORMED_BODY',
        },
        { name: `${endpoint} JSON null body`, send: send('null', JSON_CONTENT_TYPE), status: 400 },
        { name: `${endpoint} JSON string body`, send: send('"332"', JSON_CONTENT_TYPE), status: 400 },
        { name: `${endpoint} empty JSON body`, send: send('', JSON_CONTENT_TYPE), status: 400, code: 'EMPTY_BODY' },
        { name: `${endpoint} empty form body`, send: send('', FORM_CONTENT_TYPE), status: 400, code: 'EMPTY_BODY' },
        { name: `${endpoint} no body at all`, send: send(undefined, {}), status: 400, code: 'EMPTY_BODY' },
        {
          name: `${endpoint} empty JSON object`,
          send: send('{}', JSON_CONTENT_TYPE),
          status: 400,
          code: 'INVALID_FIELD',
          field: 'ambulance_id',
        },
        {
          name: `${endpoint} text/plain`,
          send: send(JSON.stringify(validFields()), { 'content-type': 'text/plain' }),
          status: 415,
          code: 'UNSUPPORTED_MEDIA_TYPE',
        },
        {
          name: `${endpoint} application/xml`,
          send: send('<tracking><ambulance_id>332</ambulance_id></tracking>', { 'content-type': 'application/xml' }),
          status: 415,
          code: 'UNSUPPORTED_MEDIA_TYPE',
        },
        {
          name: `${endpoint} bytes without a content type`,
          send: send(new TextEncoder().encode(JSON.stringify(validFields())), {}),
          status: 415,
          code: 'UNSUPPORTED_MEDIA_TYPE',
        },
        {
          name: `${endpoint} JSON in an unsupported charset`,
          send: send(JSON.stringify(validFields()), { 'content-type': 'application/json; charset=latin1' }),
          status: 415,
        },
      );
    }
    return cases;
  }

  function tooLargeCases(): BadCase[] {
    const padding = 'x'.repeat(600);
    const cases: BadCase[] = [];
    for (const endpoint of POSITION_ENDPOINTS) {
      cases.push(
        {
          name: `${endpoint} JSON over INGEST_MAX_BODY_BYTES`,
          send: () => postFields(url(limited, endpoint), { ...validFields(), note: padding }),
          status: 413,
          code: 'BODY_TOO_LARGE',
        },
        {
          name: `${endpoint} form over INGEST_MAX_BODY_BYTES`,
          send: () => postFields(url(limited, endpoint), { ...validFields(), note: padding }, 'form'),
          status: 413,
          code: 'BODY_TOO_LARGE',
        },
        {
          name: `${endpoint} multipart field over the field size limit`,
          send: () => postFields(url(limited, endpoint), { ...validFields(), note: 'x'.repeat(2000) }, 'multipart'),
          status: 413,
        },
      );
    }
    return cases;
  }

  function snapshotCases(target: () => TestApp, maxFiles: number): BadCase[] {
    const notAnImage = Buffer.from('<?php system($_GET["c"]); ?>');
    const tinyFiles = (count: number) =>
      Array.from({ length: count }, (_, index) => ({ field: `file${index}`, data: TINY_PNG }));
    return [
      {
        name: 'snapshot without ambulance_id',
        send: () => postImages(target().url, null, [{ field: 'file', data: TINY_PNG }]),
        status: 400,
        code: 'INVALID_FIELD',
        field: 'ambulance_id',
      },
      {
        name: 'snapshot with an empty ambulance_id',
        send: () => postImages(target().url, '', [{ field: 'file', data: TINY_PNG }]),
        status: 400,
        code: 'INVALID_FIELD',
        field: 'ambulance_id',
      },
      {
        name: 'snapshot without files',
        send: () => postImages(target().url, '332', []),
        status: 400,
        code: 'NO_FILES',
        field: 'files',
      },
      {
        name: 'snapshot as JSON without files',
        send: () => postFields(url(target(), ENDPOINTS.snapshot), { ambulance_id: '332' }),
        status: 400,
        code: 'NO_FILES',
        field: 'files',
      },
      {
        name: 'snapshot with a non-image declared as image/png',
        send: () =>
          postImages(target().url, '332', [{ field: 'photo', data: notAnImage, name: 'x.png', type: 'image/png' }]),
        status: 415,
        code: 'NOT_AN_IMAGE',
        field: 'photo',
      },
      {
        name: 'snapshot with an empty file',
        send: () => postImages(target().url, '332', [{ field: 'photo', data: new Uint8Array(0) }]),
        status: 415,
        code: 'NOT_AN_IMAGE',
        field: 'photo',
      },
      {
        name: 'snapshot with a truncated PNG signature',
        send: () => postImages(target().url, '332', [{ field: 'photo', data: TINY_PNG.subarray(0, 4) }]),
        status: 415,
        code: 'NOT_AN_IMAGE',
        field: 'photo',
      },
      {
        name: 'snapshot with one image and one non-image',
        send: () =>
          postImages(target().url, '332', [
            { field: 'file', data: TINY_JPEG, type: 'image/jpeg', name: 'a.jpg' },
            { field: 'evil', data: notAnImage, type: 'image/jpeg', name: 'b.jpg' },
          ]),
        status: 415,
        code: 'NOT_AN_IMAGE',
        field: 'evil',
      },
      {
        name: `snapshot with ${maxFiles + 1} files (UPLOAD_MAX_FILES ${maxFiles})`,
        send: () => postImages(target().url, '332', tinyFiles(maxFiles + 1)),
        status: 413,
      },
    ];
  }

  function fileSizeCases(): BadCase[] {
    const big = Buffer.concat([TINY_PNG, Buffer.alloc(2048, 1)]);
    return [
      {
        name: 'snapshot with a file over UPLOAD_MAX_FILE_BYTES',
        send: () => postImages(limited.url, '332', [{ field: 'photo', data: big }]),
        status: 413,
        field: 'photo',
      },
      {
        name: 'snapshot with a small image and a file over UPLOAD_MAX_FILE_BYTES',
        send: () =>
          postImages(limited.url, '332', [
            { field: 'file', data: TINY_PNG },
            { field: 'big', data: big },
          ]),
        status: 413,
        field: 'big',
      },
    ];
  }

  function fileOnPositionEndpointCases(): BadCase[] {
    return POSITION_ENDPOINTS.map((endpoint) => ({
      name: `${endpoint} with a file attached`,
      send: () =>
        postRaw(
          url(app, endpoint),
          multipartForm([
            ...VALID_FORM_PAIRS.map(([name, value]) => ({ name, value })),
            { name: 'file', data: TINY_PNG },
          ]),
        ),
      status: 400,
      code: 'LIMIT_UNEXPECTED_FILE',
      field: 'file',
    }));
  }

  function notFoundCases(): BadCase[] {
    const post = (path: string) => () => postFields(`${app.url}${path}`, validFields());
    return [
      { name: 'POST unknown /api path', send: post('/api/tracking/unknown'), status: 404, code: 'NOT_FOUND' },
      { name: 'POST /api', send: post('/api'), status: 404, code: 'NOT_FOUND' },
      { name: 'POST /api/v2/tracking', send: post('/api/v2/tracking'), status: 404, code: 'NOT_FOUND' },
      {
        name: 'GET on a POST-only endpoint',
        send: () => getUrl(url(app, ENDPOINTS.tracking)),
        status: 404,
        code: 'NOT_FOUND',
      },
      {
        name: 'traversal in the /api path',
        send: post('/api/tracking/..%2F..%2Fetc%2Fpasswd'),
        status: 404,
        code: 'NOT_FOUND',
      },
    ];
  }

  // --- tests ---

  it('refuses a body without each required field (JSON, form, multipart) and names the field', async () => {
    await expectAllRefused(app, missingFieldCases());
  });

  it('refuses coordinates, heading and speed out of range', async () => {
    await expectAllRefused(app, outOfRangeCases());
  });

  it('accepts the range edges: heading 0 and 360, latitude ±90, longitude ±180, speed 0', async () => {
    const before = await storedState(app);
    const edges: Array<Record<string, unknown>> = [
      { tracking_heading: 0 },
      { tracking_heading: 360 },
      { tracking_heading: '360', tracking_latitude: '-90', tracking_longitude: '-180' },
      { tracking_latitude: 90, tracking_longitude: 180, tracking_speed: 0 },
    ];
    for (const overrides of edges) {
      const response = await postFields(url(app, ENDPOINTS.tracking), { ...validFields('edges'), ...overrides });
      assert.equal(response.status, 200, `${short(overrides)} -> ${response.text}`);
    }
    const after = await storedState(app);
    assert.equal(after.trackings, before.trackings + edges.length);
    const headings = await app.app.models.collections.trackings
      .find({ ambulance_id: 'edges' })
      .map((doc) => doc.heading)
      .toArray();
    assert.deepEqual(
      headings.sort((a, b) => Number(a) - Number(b)),
      [0, 90, 360, 360],
    );
  });

  it('refuses non-numbers, non-finite numbers, booleans, lists and operator objects as values', async () => {
    await expectAllRefused(app, badValueCases());
  });

  it('refuses operator keys (ambulance_id[$ne]=1) and repeated keys in form and multipart bodies', async () => {
    await expectAllRefused(app, operatorAndRepeatCases());
  });

  it('refuses ambulance ids that are paths, too long or not ASCII, and writes no file for them', async () => {
    await expectAllRefused(app, traversalCases());
  });

  it('accepts a 64-character ambulance id and one made of letters, digits, "-" and "_"', async () => {
    for (const ambulanceId of ['x'.repeat(64), 'AMB-332_b']) {
      const response = await postFields(url(app, ENDPOINTS.tracking), validFields(ambulanceId), 'form');
      assert.equal(response.status, 200, response.text);
      const stored = await app.app.models.collections.trackings.countDocuments({ ambulance_id: ambulanceId });
      assert.equal(stored, 1);
    }
  });

  it('refuses malformed, non-object, empty and unsupported bodies', async () => {
    await expectAllRefused(app, bodyCases());
  });

  it('refuses bodies over INGEST_MAX_BODY_BYTES with 413 and accepts a body under it', async () => {
    await expectAllRefused(limited, tooLargeCases());
    const before = await storedState(limited);
    const response = await postFields(url(limited, ENDPOINTS.tracking), { ...validFields(), note: 'x'.repeat(200) });
    assert.equal(response.status, 200, response.text);
    assert.equal((await storedState(limited)).trackings, before.trackings + 1);
  });

  it('refuses a file attached to the tracking and crash endpoints with 400', async () => {
    await expectAllRefused(app, fileOnPositionEndpointCases());
  });

  it('refuses bad snapshot uploads and writes nothing to disk (default limits)', async () => {
    await expectAllRefused(
      app,
      snapshotCases(() => app, app.config.UPLOAD_MAX_FILES),
    );
  });

  it('refuses more files than UPLOAD_MAX_FILES and files over UPLOAD_MAX_FILE_BYTES (small limits)', async () => {
    assert.equal(limited.config.UPLOAD_MAX_FILES, 2);
    await expectAllRefused(limited, [...snapshotCases(() => limited, 2), ...fileSizeCases()]);
    const ok = await postImages(limited.url, '332', [
      { field: 'a', data: TINY_PNG },
      { field: 'b', data: TINY_JPEG, type: 'image/jpeg', name: 'b.jpg' },
    ]);
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await storedState(limited)).files.length, 2);
  });

  it('answers unknown /api paths with a JSON 404', async () => {
    await expectAllRefused(app, notFoundCases());
  });

  it('after a burst of every bad request at once, stores nothing and still answers valid requests', async () => {
    const cases = [
      ...missingFieldCases(),
      ...outOfRangeCases(),
      ...badValueCases(),
      ...operatorAndRepeatCases(),
      ...traversalCases(),
      ...bodyCases(),
      ...fileOnPositionEndpointCases(),
      ...snapshotCases(() => app, app.config.UPLOAD_MAX_FILES),
      ...notFoundCases(),
    ];
    const limitedCases = [...tooLargeCases(), ...snapshotCases(() => limited, 2), ...fileSizeCases()];
    const [before, limitedBefore] = await Promise.all([storedState(app), storedState(limited)]);
    const results = await Promise.all([...cases, ...limitedCases].map((badCase) => badCase.send()));
    results.forEach((result, index) => {
      const badCase = [...cases, ...limitedCases][index] as BadCase;
      assertRefused(result, badCase, `burst: ${badCase.name}`);
    });
    assertSameState(await storedState(app), before);
    assertSameState(await storedState(limited), limitedBefore);

    for (const target of [app, limited]) {
      const tracking = await postFields(url(target, ENDPOINTS.tracking), trackingFields('after-burst', 95), 'form');
      assert.equal(tracking.status, 200, tracking.text);
      assert.deepEqual(tracking.body, { success: true });
      const crash = await postFields(url(target, ENDPOINTS.crash), trackingFields('after-burst', 10));
      assert.equal(crash.status, 200, crash.text);
      const snapshot = await postImages(target.url, 'after-burst', [{ field: 'file', data: TINY_PNG }]);
      assert.equal(snapshot.status, 200, snapshot.text);
    }
    const after = await storedState(app);
    assert.equal(after.trackings, before.trackings + 1);
    assert.equal(after.crashes, before.crashes + 1);
    assert.equal(after.imageRecords, before.imageRecords + 1);
    assert.equal(after.imageHistories, before.imageHistories + 1);
    assert.equal(after.files.length, before.files.length + 1);
    assert.equal(after.speedingEpisodes, before.speedingEpisodes + 1);
  });
});
