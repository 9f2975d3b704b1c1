import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AMBULANCE_ID_PATTERN, isValidAmbulanceId } from './ambulance-id.js';

describe('isValidAmbulanceId', () => {
  it('accepts device ids, legacy ObjectId hex and the allowed punctuation', () => {
    for (const id of ['332', '0', 'a', 'AMB-12_x', '5f1d7c0e9b1e8a3d4c2b1a09', 'x'.repeat(64)]) {
      assert.equal(isValidAmbulanceId(id), true, `rejected ${id}`);
    }
  });

  it('rejects empty, overlong, paths, operators, wildcards and whitespace', () => {
    const bad = [
      '',
      'x'.repeat(65),
      '../x',
      'a/b',
      'a\\b',
      '.',
      '$ne',
      'a*',
      'a.b',
      'a b',
      ' 332',
      '332\n',
      'ä',
      'a:b',
      '332?x=1',
    ];
    for (const id of bad) assert.equal(isValidAmbulanceId(id), false, `accepted ${JSON.stringify(id)}`);
  });

  it('the pattern is anchored at both ends', () => {
    assert.equal(AMBULANCE_ID_PATTERN.test('ok/../x'), false);
    assert.equal(AMBULANCE_ID_PATTERN.test('x/ok'), false);
  });
});
