import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { sniffImage } from '../src/domain/image.sniff.js';
import { ENDPOINTS, TINY_PNG } from './helpers/http.client.js';
import { storedState } from './helpers/ingest.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

/** Enough runs to cover the shapes, few enough for a loaded 2-core machine. */
const RUNS = 30;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const AMBULANCE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const POSITION_FIELDS = {
  ambulance_id: 'fz1',
  tracking_latitude: 45.5,
  tracking_longitude: -73.6,
  tracking_speed: 50,
  tracking_heading: 90,
} as const;
type PositionField = keyof typeof POSITION_FIELDS;
const RANGES: Record<Exclude<PositionField, 'ambulance_id'>, [number, number]> = {
  tracking_latitude: [-90, 90],
  tracking_longitude: [-180, 180],
  tracking_speed: [0, 1000],
  tracking_heading: [0, 360],
};

/** Text that is not a valid value of `field` in any encoding (so the body can never be accepted). */
function badText(field: PositionField): fc.Arbitrary<string> {
  if (field === 'ambulance_id') return fc.string({ maxLength: 80 }).filter((text) => !AMBULANCE_ID.test(text));
  const [min, max] = RANGES[field];
  return fc.oneof(
    fc.string({ maxLength: 30 }).filter((text) => !DECIMAL.test(text.trim())),
    fc
      .oneof(fc.double({ max: min, noNaN: true }), fc.double({ min: max, noNaN: true }))
      .filter((value) => value < min || value > max)
      .map(String),
  );
}

/** A JSON value that is not a valid value of `field`. */
function badJson(field: PositionField): fc.Arbitrary<unknown> {
  const others = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.array(fc.jsonValue(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }),
  );
  if (field === 'ambulance_id') {
    return fc.oneof(
      badText(field),
      others,
      fc.double().filter((value) => !(Number.isSafeInteger(value) && value >= 0)),
    );
  }
  const [min, max] = RANGES[field];
  return fc.oneof(
    badText(field),
    others,
    fc.double().filter((value) => !(value >= min && value <= max)),
  );
}

const ALL_FIELDS = Object.keys(POSITION_FIELDS) as PositionField[];

/** The legacy fields with one of `among` missing or made invalid, plus random extra fields. */
function brokenFields(badValue: (field: PositionField) => fc.Arbitrary<unknown>, among = ALL_FIELDS) {
  return fc.constantFrom(...among).chain((field) =>
    fc
      .record({
        value: fc.option(badValue(field), { nil: undefined }),
        extra: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
      })
      .map(({ value, extra }) => {
        const fields: Record<string, unknown> = { ...extra, ...POSITION_FIELDS };
        if (value === undefined) delete fields[field];
        else fields[field] = value;
        return fields;
      }),
  );
}

function multipart(parts: Array<{ name: string; value: Uint8Array | string; filename?: string }>, boundary: string) {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}`;
    const type = part.filename ? '\r\nContent-Type: application/octet-stream' : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`));
    chunks.push(Buffer.from(part.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

const boundaryArb = fc.stringMatching(/^[A-Za-z0-9]{8,30}$/);
const notAnImage = fc.uint8Array({ minLength: 0, maxLength: 200 }).filter((data) => sniffImage(data) === null);

interface RawRequest {
  readonly contentType: string | undefined;
  readonly body: string | Buffer;
}

describe('malformed bodies at every ingest endpoint (property-based)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ events: 'local' });
  });
  after(() => app.close());

  async function assertRefusedAndAlive(endpoint: keyof typeof ENDPOINTS, request: RawRequest): Promise<void> {
    const response = await fetch(`${app.url}${ENDPOINTS[endpoint]}`, {
      method: 'POST',
      headers: request.contentType ? { 'content-type': request.contentType } : {},
      body: request.body,
    });
    const text = await response.text();
    assert.ok(response.status >= 400 && response.status < 500, `${response.status} ${text}`);
    assert.equal((JSON.parse(text) as { success: boolean }).success, false);
    assert.equal((await fetch(`${app.url}/`)).status, 200, 'the server still answers');
  }

  async function assertNothingStored(): Promise<void> {
    const state = await storedState(app);
    assert.deepEqual(state, {
      trackings: 0,
      crashes: 0,
      imageRecords: 0,
      imageHistories: 0,
      ambulances: 0,
      speedingEpisodes: 0,
      files: [],
    });
  }

  const jsonText = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.jsonValue().map((value) => JSON.stringify(value).slice(0, -1)),
    fc.constantFrom('', '{', '[]', 'null', '{"ambulance_id":', '\u0000', '{"a":1}{"b":2}'),
  );

  for (const endpoint of ['tracking', 'crash', 'snapshot'] as const) {
    it(`${endpoint}: JSON bodies that are not valid JSON objects of valid fields get a 4xx`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            jsonText.map((body) => ({ contentType: 'application/json', body })),
            brokenFields(badJson).map((fields) => ({ contentType: 'application/json', body: JSON.stringify(fields) })),
            fc.record({
              contentType: fc.constantFrom(
                undefined,
                'text/plain',
                'application/xml',
                'application/json; charset=latin1',
              ),
              body: fc.string({ maxLength: 100 }),
            }),
          ),
          (request) => assertRefusedAndAlive(endpoint, request),
        ),
        { numRuns: RUNS },
      );
      await assertNothingStored();
    });

    it(`${endpoint}: URL-encoded forms with a missing or invalid field get a 4xx`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            brokenFields(badText).map((fields) => {
              const form = new URLSearchParams();
              for (const [name, value] of Object.entries(fields)) form.append(name, String(value));
              return form.toString();
            }),
            fc.string({ maxLength: 200 }).filter((text) => !text.includes('ambulance_id')),
          ),
          (body) => assertRefusedAndAlive(endpoint, { contentType: 'application/x-www-form-urlencoded', body }),
        ),
        { numRuns: RUNS },
      );
      await assertNothingStored();
    });

    it(`${endpoint}: malformed or invalid multipart streams get a 4xx`, async () => {
      // An upload needs only a valid ambulance_id beside its images, so that is the field broken there.
      const fieldsPart = brokenFields(badText, endpoint === 'snapshot' ? ['ambulance_id'] : ALL_FIELDS).map((fields) =>
        Object.entries(fields).map(([name, value]) => ({ name, value: String(value) })),
      );
      const validFieldsWithFile = fc
        .record({ name: fc.constantFrom('image', 'file', 'ambulance_id'), data: notAnImage })
        .map(({ name, data }) => [
          ...Object.entries(POSITION_FIELDS).map(([field, value]) => ({ name: field, value: String(value) })),
          { name, value: data, filename: 'x.png' },
        ]);
      await fc.assert(
        fc.asyncProperty(
          boundaryArb,
          fc.oneof(
            // Broken fields, with or without an image attached.
            fc
              .tuple(fieldsPart, fc.boolean())
              .map(([parts, withImage]) =>
                withImage ? [...parts, { name: 'image', value: TINY_PNG, filename: 'a.png' }] : parts,
              ),
            // Valid fields but a file that is not an image (snapshot), or any file (tracking, crash).
            validFieldsWithFile,
          ),
          fc.oneof(fc.constant('complete' as const), fc.nat({ max: 400 }), fc.constant('wrong-boundary' as const)),
          async (boundary, parts, cut) => {
            const body = multipart(parts, boundary);
            const sent =
              cut === 'complete'
                ? body
                : cut === 'wrong-boundary'
                  ? body
                  : body.subarray(0, Math.min(cut, body.length - 1));
            const declared = cut === 'wrong-boundary' ? `${boundary}x` : boundary;
            await assertRefusedAndAlive(endpoint, {
              contentType: `multipart/form-data; boundary=${declared}`,
              body: sent,
            });
          },
        ),
        { numRuns: RUNS },
      );
      await assertNothingStored();
    });
  }
});
