import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphQLError } from 'graphql';
import { pagePlan } from './page.query.js';

const SIZES = { default: 100, max: 500 };

function refusal(run: () => unknown): { code: unknown; argumentName: unknown; message: string } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof GraphQLError);
    return { code: error.extensions.code, argumentName: error.extensions.argumentName, message: error.message };
  }
  assert.fail('expected a refusal');
}

describe('pagePlan', () => {
  it('reads forwards with first, or the default page size when neither first nor last is given', () => {
    assert.deepEqual(pagePlan({}, SIZES), { backward: false, size: 100 });
    assert.deepEqual(pagePlan({ first: 7, after: 'x' }, SIZES), { backward: false, size: 7 });
    assert.deepEqual(pagePlan({ before: 'x' }, SIZES), { backward: false, size: 100 });
  });

  it('reads backwards with last, up to the maximum', () => {
    assert.deepEqual(pagePlan({ last: 8 }, SIZES), { backward: true, size: 8 });
    assert.deepEqual(pagePlan({ last: 500, after: 'x', before: 'y' }, SIZES), { backward: true, size: 500 });
  });

  it('refuses first with last, and sizes outside 1..max, naming the argument', () => {
    assert.deepEqual(refusal(() => pagePlan({ first: 2, last: 2 }, SIZES)).argumentName, 'last');
    for (const last of [0, -1, 501, 2.5]) {
      const refused = refusal(() => pagePlan({ last }, SIZES));
      assert.deepEqual([refused.code, refused.argumentName], ['BAD_USER_INPUT', 'last']);
      assert.match(refused.message, /last must be between 1 and 500/);
    }
    const first = refusal(() => pagePlan({ first: 501 }, SIZES));
    assert.deepEqual([first.code, first.argumentName], ['BAD_USER_INPUT', 'first']);
  });
});
