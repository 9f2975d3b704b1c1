import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWebhookTargets } from '../domain/alert.routes.js';
import { keyedTargets } from './alert.targets.js';

describe('webhook target keys', () => {
  it('keys a URL by a stable hash and shows it without credentials or query', () => {
    const [secretive, plain] = keyedTargets(
      parseWebhookTargets('https://user:pw@hooks.example.org/in?token=abc;https://hooks.example.org/in'),
    );
    assert.ok(secretive && plain);
    assert.equal(secretive.destination, 'https://hooks.example.org/in');
    assert.match(secretive.key, /^[0-9a-f]{16}$/);
    assert.notEqual(secretive.key, plain.key, 'another URL, another key');
    assert.equal(keyedTargets(parseWebhookTargets('https://hooks.example.org/in'))[0]?.key, plain.key, 'stable');
    assert.ok(!JSON.stringify({ key: secretive.key, destination: secretive.destination }).includes('abc'));
  });
});
