import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { requestIdOf } from './request-id.js';

const request = (id?: string | string[]) =>
  ({ headers: id === undefined ? {} : { 'x-request-id': id } }) as unknown as IncomingMessage;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdOf', () => {
  it("keeps a well-formed caller's id, such as nginx's 32 hex digits or a UUID", () => {
    assert.equal(requestIdOf(request('0f1e2d3c4b5a69788796a5b4c3d2e1f0')), '0f1e2d3c4b5a69788796a5b4c3d2e1f0');
    assert.equal(requestIdOf(request('dashboard:42.7-x_y')), 'dashboard:42.7-x_y');
  });

  it('generates a UUID when the id is missing, repeated, too long or carries other characters', () => {
    for (const given of [undefined, ['a1', 'b2'], 'a'.repeat(129), 'id with spaces', 'line\nbreak', '-leading', '']) {
      assert.match(requestIdOf(request(given)), UUID, JSON.stringify(given));
    }
  });

  it('decides once per request', () => {
    const anonymous = request();
    assert.equal(requestIdOf(anonymous), requestIdOf(anonymous));
    assert.notEqual(requestIdOf(request()), requestIdOf(request()));
  });
});
