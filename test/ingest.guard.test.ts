import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENDPOINTS, type HttpResult, postFields, postJson, TINY_PNG, trackingFields } from './helpers/http.client.js';
import { assertRefused, multipartForm, storedState } from './helpers/ingest.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { uniqueName } from './helpers/test-env.js';

const fromAddress = (address: string) => ({ 'x-forwarded-for': address });

describe('ingest guards off (the defaults)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ events: 'local' });
  });
  after(() => app.close());

  it('keeps devices working without credentials from any address', async () => {
    for (const endpoint of ['tracking', 'crash'] as const) {
      const result = await postJson(app, endpoint, trackingFields(uniqueName('d')), fromAddress('203.0.113.9'));
      assert.equal(result.status, 200, result.text);
    }
  });
});

describe('network allowlist', () => {
  let app: TestApp;
  let untrusting: TestApp;
  before(async () => {
    const env = { INGEST_ALLOWED_NETWORKS: '10.1.0.0/16', INGEST_RESTRICT_NETWORKS: 'tracking,snapshot' };
    app = await startTestApp({ events: 'local', env });
    untrusting = await startTestApp({ events: 'local', env: { ...env, TRUST_PROXY: 'none' } });
  });
  after(async () => {
    await app.close();
    await untrusting.close();
  });

  it('accepts the first and last addresses of the network and refuses those just outside with 403', async () => {
    for (const address of ['10.1.0.0', '10.1.255.255', '10.0.0.1, 10.1.2.3']) {
      const result = await postJson(app, 'tracking', trackingFields(uniqueName('n')), fromAddress(address));
      assert.equal(result.status, 200, `${address}: ${result.text}`);
    }
    const before = await storedState(app);
    for (const address of ['10.0.255.255', '10.2.0.0', '10.1.2.3, 192.0.2.1']) {
      const result = await postJson(app, 'tracking', trackingFields(uniqueName('n')), fromAddress(address));
      assertRefused(result, { status: 403, code: 'NETWORK_NOT_ALLOWED' }, address);
    }
    // The socket's own address (loopback) is outside the network too.
    assertRefused(await postJson(app, 'tracking', trackingFields(uniqueName('n'))), { status: 403 });
    const form = multipartForm([
      { name: 'ambulance_id', value: 'n1' },
      { name: 'image', data: TINY_PNG },
    ]);
    const upload = await fetch(`${app.url}${ENDPOINTS.snapshot}`, { method: 'POST', body: form });
    assert.equal(upload.status, 403);
    assert.deepEqual(await storedState(app), before);
  });

  it('applies only to the listed endpoints', async () => {
    const result = await postJson(app, 'crash', trackingFields(uniqueName('n')), fromAddress('192.0.2.1'));
    assert.equal(result.status, 200, result.text);
  });

  it('believes X-Forwarded-For only from trusted proxies (TRUST_PROXY=none trusts none)', async () => {
    const result = await postJson(untrusting, 'tracking', trackingFields(uniqueName('n')), fromAddress('10.1.2.3'));
    assertRefused(result, { status: 403, code: 'NETWORK_NOT_ALLOWED' });
    assert.match((result.body as { error: string }).error, /127\.0\.0\.1/);
  });
});

describe('per-device keys', () => {
  let app: TestApp;
  const KEY = 'a-device-key-of-332-xyz';
  const OTHER_KEY = 'a-device-key-of-333-xyz';
  before(async () => {
    app = await startTestApp({
      events: 'local',
      env: {
        INGEST_DEVICE_KEYS: `332:${KEY},333:${OTHER_KEY}`,
        INGEST_REQUIRE_DEVICE_KEY: 'tracking,snapshot',
      },
    });
  });
  after(() => app.close());

  it('accepts the key in the X-Device-Key header, a JSON field, a form field or a multipart field', async () => {
    assert.equal((await postJson(app, 'tracking', trackingFields('332'), { 'x-device-key': KEY })).status, 200);
    assert.equal((await postJson(app, 'tracking', trackingFields('332', 50, { device_key: KEY }))).status, 200);
    const form = new URLSearchParams(
      Object.entries({ ...trackingFields('332'), device_key: KEY }).map(([name, value]): [string, string] => [
        name,
        String(value),
      ]),
    );
    assert.equal((await fetch(`${app.url}${ENDPOINTS.tracking}`, { method: 'POST', body: form })).status, 200);
    const upload = multipartForm([
      { name: 'ambulance_id', value: '332' },
      { name: 'device_key', value: KEY },
      { name: 'image', data: TINY_PNG },
    ]);
    const uploaded = await fetch(`${app.url}${ENDPOINTS.snapshot}`, { method: 'POST', body: upload });
    assert.equal(uploaded.status, 200, await uploaded.text());
    const stored = await app.app.models.collections.trackings.find({ ambulance_id: '332' }).toArray();
    assert.equal(stored.length, 3);
    assert.ok(
      stored.every((doc) => !('device_key' in doc)),
      'the key is never stored',
    );
  });

  it('refuses a missing key with 401 and a wrong, foreign or one-character-short key with 403, storing nothing', async () => {
    const before = await storedState(app);
    assertRefused(await postJson(app, 'tracking', trackingFields('332')), { status: 401, code: 'DEVICE_KEY_REQUIRED' });
    for (const [id, key] of [
      ['332', OTHER_KEY],
      ['332', KEY.slice(0, -1)],
      ['332', `${KEY}x`],
      ['334', KEY],
    ]) {
      const result = await postJson(app, 'tracking', trackingFields(id as string), { 'x-device-key': key as string });
      assertRefused(result, { status: 403, code: 'DEVICE_KEY_INVALID' }, `${id} ${key}`);
    }
    assertRefused(await postJson(app, 'tracking', trackingFields('332', 50, { device_key: 12345 })), { status: 403 });
    const upload = multipartForm([
      { name: 'ambulance_id', value: '332' },
      { name: 'image', data: TINY_PNG },
    ]);
    const refused = await fetch(`${app.url}${ENDPOINTS.snapshot}`, { method: 'POST', body: upload });
    assert.equal(refused.status, 401);
    assert.deepEqual(await storedState(app), before);
  });

  it('leaves endpoints that do not require a key open', async () => {
    assert.equal((await postJson(app, 'crash', trackingFields('334'))).status, 200);
  });
});

describe('rate limits', () => {
  let perDevice: TestApp;
  let perAddress: TestApp;
  before(async () => {
    perDevice = await startTestApp({
      events: 'local',
      env: { INGEST_RATE_LIMIT_PER_DEVICE: '3', INGEST_RATE_LIMIT_PER_ADDRESS: '0' },
    });
    perAddress = await startTestApp({
      events: 'local',
      env: { INGEST_RATE_LIMIT_PER_DEVICE: '0', INGEST_RATE_LIMIT_PER_ADDRESS: '4' },
    });
  });
  after(async () => {
    await perDevice.close();
    await perAddress.close();
  });

  function assertLimited(result: HttpResult): void {
    assertRefused(result, { status: 429, code: 'RATE_LIMITED' });
    const retryAfter = Number(result.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  }

  it('answers the request after the last allowed one per device with 429, Retry-After and nothing stored', async () => {
    const device = uniqueName('r');
    for (let request = 1; request <= 3; request += 1) {
      assert.equal((await postJson(perDevice, 'tracking', trackingFields(device))).status, 200);
    }
    const before = await storedState(perDevice);
    assertLimited(await postJson(perDevice, 'tracking', trackingFields(device)));
    assert.deepEqual(await storedState(perDevice), before);
    // Another device, and the same device's crash notifications, have budgets of their own.
    assert.equal((await postJson(perDevice, 'tracking', trackingFields(uniqueName('r')))).status, 200);
    assert.equal((await postJson(perDevice, 'crash', trackingFields(device))).status, 200);
  });

  it('limits per source address before reading the body, whatever device ids are sent', async () => {
    for (let request = 1; request <= 4; request += 1) {
      const result = await postJson(
        perAddress,
        'tracking',
        trackingFields(uniqueName('a')),
        fromAddress('198.51.100.7'),
      );
      assert.equal(result.status, 200, result.text);
    }
    const before = await storedState(perAddress);
    assertLimited(await postJson(perAddress, 'tracking', trackingFields(uniqueName('a')), fromAddress('198.51.100.7')));
    // Malformed bodies from that address are refused for the rate, before being read.
    const garbage = await fetch(`${perAddress.url}${ENDPOINTS.tracking}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...fromAddress('198.51.100.7') },
      body: '{not json',
    });
    assert.equal(garbage.status, 429);
    assert.deepEqual(await storedState(perAddress), before);
    const other = await postJson(perAddress, 'tracking', trackingFields(uniqueName('a')), fromAddress('198.51.100.8'));
    assert.equal(other.status, 200);
    const crash = await postFields(`${perAddress.url}${ENDPOINTS.crash}`, trackingFields(uniqueName('a')));
    assert.equal(crash.status, 200);
  });
});
