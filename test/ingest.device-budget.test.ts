import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENDPOINTS, postJson, TINY_PNG, trackingFields } from './helpers/http.client.js';
import { assertRefused, multipartForm } from './helpers/ingest.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const DEVICE = '198.51.100.10';
const ATTACKER = '203.0.113.66';

const from = (address: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': address, ...headers });

describe('per-device rate limit without device keys (the default)', () => {
  const LIMIT = 3;
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      events: 'local',
      env: { INGEST_RATE_LIMIT_PER_DEVICE: String(LIMIT), INGEST_RATE_LIMIT_PER_ADDRESS: '0' },
    });
  });
  after(() => app.close());

  it('does not count invalid bodies against the ambulance they name', async () => {
    for (let request = 0; request < LIMIT * 3; request += 1) {
      assertRefused(await postJson(app, 'tracking', { ambulance_id: '331' }, from(DEVICE)), {
        status: 400,
        code: 'INVALID_FIELD',
      });
      assertRefused(await postJson(app, 'crash', { ambulance_id: '331', tracking_latitude: 91 }, from(DEVICE)), {
        status: 400,
      });
    }
    const noFiles = multipartForm([{ name: 'ambulance_id', value: '331' }]);
    for (let request = 0; request < LIMIT * 2; request += 1) {
      const refused = await fetch(`${app.url}${ENDPOINTS.snapshot}`, {
        method: 'POST',
        body: noFiles,
        headers: from(DEVICE),
      });
      assert.equal(refused.status, 400, await refused.text());
    }
    for (const endpoint of ['tracking', 'crash'] as const) {
      for (let request = 0; request < LIMIT; request += 1) {
        const result = await postJson(app, endpoint, trackingFields('331'), from(DEVICE));
        assert.equal(result.status, 200, `${endpoint} ${request}: ${result.text}`);
      }
    }
    const upload = multipartForm([
      { name: 'ambulance_id', value: '331' },
      { name: 'image', data: TINY_PNG },
    ]);
    const uploaded = await fetch(`${app.url}${ENDPOINTS.snapshot}`, {
      method: 'POST',
      body: upload,
      headers: from(DEVICE),
    });
    assert.equal(uploaded.status, 200, await uploaded.text());
  });

  it("lets no other address use up a device's budget, crash notifications included", async () => {
    // The attacker exhausts "332" from its own address: every well-formed post counts there...
    for (const endpoint of ['tracking', 'crash'] as const) {
      for (let request = 0; request < LIMIT; request += 1) {
        assert.equal((await postJson(app, endpoint, trackingFields('332'), from(ATTACKER))).status, 200);
      }
      assertRefused(await postJson(app, endpoint, trackingFields('332'), from(ATTACKER)), {
        status: 429,
        code: 'RATE_LIMITED',
      });
    }
    // ...while the device keeps posting from its own address, up to its own budget and not past it.
    for (const endpoint of ['tracking', 'crash'] as const) {
      for (let request = 0; request < LIMIT; request += 1) {
        const result = await postJson(app, endpoint, trackingFields('332'), from(DEVICE));
        assert.equal(result.status, 200, `${endpoint} ${request}: ${result.text}`);
      }
      const limited = await postJson(app, endpoint, trackingFields('332'), from(DEVICE));
      assertRefused(limited, { status: 429, code: 'RATE_LIMITED' }, endpoint);
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    }
    const stored = await app.app.models.collections.trackings.countDocuments({ ambulance_id: '332' });
    assert.equal(stored, LIMIT * 2);
  });
});

describe('per-device rate limit with a required device key', () => {
  const LIMIT = 2;
  const KEY = 'the-key-of-ambulance-332';
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      events: 'local',
      env: {
        INGEST_RATE_LIMIT_PER_DEVICE: String(LIMIT),
        INGEST_RATE_LIMIT_PER_ADDRESS: '0',
        INGEST_DEVICE_KEYS: `332:${KEY}`,
        INGEST_REQUIRE_DEVICE_KEY: 'tracking',
      },
    });
  });
  after(() => app.close());

  it('counts only requests with the verified key, per ambulance whatever the address', async () => {
    for (let request = 0; request < LIMIT * 3; request += 1) {
      assertRefused(
        await postJson(app, 'tracking', trackingFields('332'), from(ATTACKER, { 'x-device-key': 'x'.repeat(20) })),
        {
          status: 403,
          code: 'DEVICE_KEY_INVALID',
        },
      );
      assertRefused(await postJson(app, 'tracking', trackingFields('332'), from(ATTACKER)), { status: 401 });
    }
    const keyed = { 'x-device-key': KEY };
    assert.equal((await postJson(app, 'tracking', trackingFields('332'), from(DEVICE, keyed))).status, 200);
    // The same device behind another address (a new cell) shares its one budget.
    assert.equal((await postJson(app, 'tracking', trackingFields('332'), from('192.0.2.44', keyed))).status, 200);
    assertRefused(await postJson(app, 'tracking', trackingFields('332'), from(DEVICE, keyed)), {
      status: 429,
      code: 'RATE_LIMITED',
    });
  });
});
