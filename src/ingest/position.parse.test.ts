import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RefusalError } from '../domain/refusal.error.js';
import { MAX_SPEED, parsePositionReport, readAmbulanceId } from './position.parse.js';

const VALID = {
  ambulance_id: '332',
  tracking_latitude: 45.5,
  tracking_longitude: -73.6,
  tracking_speed: 90,
  tracking_heading: 180,
};

const withField = (field: string, value: unknown): Record<string, unknown> => ({ ...VALID, [field]: value });

function assertRejected(body: Record<string, unknown>, field: string, label = ''): void {
  assert.throws(
    () => parsePositionReport(body),
    (error: unknown) => {
      assert.ok(error instanceof RefusalError, `expected RefusalError ${label}`);
      assert.equal(error.status, 400);
      assert.equal(error.code, 'INVALID_FIELD');
      assert.equal(error.field, field);
      assert.ok(error.message.startsWith(field), `message "${error.message}" should name ${field}`);
      return true;
    },
    `${field}=${label} should be rejected`,
  );
}

const NUMBER_FIELDS = ['tracking_latitude', 'tracking_longitude', 'tracking_speed', 'tracking_heading'] as const;

describe('parsePositionReport', () => {
  it('accepts JSON numbers', () => {
    assert.deepEqual(parsePositionReport(VALID), {
      ambulanceId: '332',
      latitude: 45.5,
      longitude: -73.6,
      speed: 90,
      heading: 180,
    });
  });

  it('accepts numeric strings, trimmed, including exponents and signs', () => {
    const report = parsePositionReport({
      ambulance_id: '332',
      tracking_latitude: ' 45.5 ',
      tracking_longitude: '-73.6',
      tracking_speed: '1e2',
      tracking_heading: '-0',
    });
    assert.equal(report.latitude, 45.5);
    assert.equal(report.longitude, -73.6);
    assert.equal(report.speed, 100);
    assert.ok(report.heading === 0, `heading ${report.heading}`);
  });

  it('accepts other decimal spellings', () => {
    const cases: Array<[string, number]> = [
      ['+12', 12],
      ['.5', 0.5],
      ['5.', 5],
      ['1.5E1', 15],
      ['2e-1', 0.2],
      ['007', 7],
    ];
    for (const [text, expected] of cases) {
      assert.equal(parsePositionReport(withField('tracking_speed', text)).speed, expected, text);
    }
  });

  for (const field of NUMBER_FIELDS) {
    it(`${field}: rejects values that are not finite decimal numbers`, () => {
      const bad: unknown[] = [
        'NaN',
        'Infinity',
        '-Infinity',
        '1e999',
        '0x10',
        '0b1',
        '',
        '   ',
        '12abc',
        '1,5',
        '1 2',
        '--1',
        '.',
        'e5',
        true,
        false,
        [],
        [1],
        ['1'],
        { $ne: 1 },
        {},
        null,
        undefined,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        // 41 characters, although the number (1) would be in range.
        `${'0'.repeat(40)}1`,
      ];
      for (const value of bad) assertRejected(withField(field, value), field, JSON.stringify(value) ?? String(value));
    });
  }

  it('rejects missing fields, naming them', () => {
    for (const field of ['ambulance_id', ...NUMBER_FIELDS]) {
      const body: Record<string, unknown> = { ...VALID };
      delete body[field];
      assertRejected(body, field, 'missing');
    }
  });

  const ranges: Array<[string, number, number]> = [
    ['tracking_latitude', -90, 90],
    ['tracking_longitude', -180, 180],
    ['tracking_heading', 0, 360],
    ['tracking_speed', 0, MAX_SPEED],
  ];
  for (const [field, min, max] of ranges) {
    it(`${field}: accepts ${min}..${max} inclusive, rejects beyond`, () => {
      const read = (value: number | string) => {
        const report = parsePositionReport(withField(field, value));
        return {
          tracking_latitude: report.latitude,
          tracking_longitude: report.longitude,
          tracking_heading: report.heading,
          tracking_speed: report.speed,
        }[field];
      };
      assert.equal(read(min), min);
      assert.equal(read(max), max);
      assert.equal(read(String(max)), max);
      assertRejected(withField(field, min - 0.0001), field, 'below min');
      assertRejected(withField(field, max + 0.0001), field, 'above max');
      assertRejected(withField(field, String(max + 1)), field, 'string above max');
    });
  }

  it('MAX_SPEED is 1000', () => {
    assert.equal(MAX_SPEED, 1000);
  });

  it('checks ambulance_id before the numbers', () => {
    assertRejected({ ambulance_id: '../x' }, 'ambulance_id');
  });

  it('the error body carries code and field', () => {
    try {
      parsePositionReport(withField('tracking_heading', 361));
      assert.fail('expected a rejection');
    } catch (error) {
      assert.ok(error instanceof RefusalError);
      assert.deepEqual(error.toBody(), {
        success: false,
        error: error.message,
        code: 'INVALID_FIELD',
        field: 'tracking_heading',
      });
    }
  });
});

describe('readAmbulanceId', () => {
  it('accepts string ids as sent', () => {
    assert.equal(readAmbulanceId({ ambulance_id: '332' }), '332');
    assert.equal(readAmbulanceId({ ambulance_id: 'AMB_7-x' }), 'AMB_7-x');
    assert.equal(readAmbulanceId({ ambulance_id: '5f1d7c0e9b1e8a3d4c2b1a09' }), '5f1d7c0e9b1e8a3d4c2b1a09');
    assert.equal(readAmbulanceId({ ambulance_id: 'x'.repeat(64) }), 'x'.repeat(64));
  });

  it('turns non-negative integer numbers into strings', () => {
    assert.equal(readAmbulanceId({ ambulance_id: 332 }), '332');
    assert.equal(readAmbulanceId({ ambulance_id: 0 }), '0');
  });

  it('reads another field when told to', () => {
    assert.equal(readAmbulanceId({ id: 'a1' }, 'id'), 'a1');
    assert.throws(() => readAmbulanceId({ ambulance_id: 'a1' }, 'id'), { field: 'id', code: 'INVALID_FIELD' });
  });

  it('refuses paths, overlong ids, objects and other non-ids', () => {
    const bad: unknown[] = [
      '../x',
      'a/b',
      'a\\b',
      'x'.repeat(65),
      'a b',
      '$ne',
      'a*',
      '',
      null,
      undefined,
      { $ne: 1 },
      { $gt: '' },
      [],
      ['332'],
      true,
      -1,
      1.5,
      Number.NaN,
      2 ** 53,
    ];
    for (const value of bad) {
      assert.throws(
        () => readAmbulanceId({ ambulance_id: value }),
        (error: unknown) =>
          error instanceof RefusalError &&
          error.status === 400 &&
          error.code === 'INVALID_FIELD' &&
          error.field === 'ambulance_id',
        `accepted ${JSON.stringify(value) ?? String(value)}`,
      );
    }
  });
});
