import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { postJson, trackingFields } from './helpers/http.client.js';
import { assertRefused } from './helpers/ingest.helpers.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { testEnv, uniqueName } from './helpers/test-env.js';

const PER_DEVICE = 4;
const NEW_PER_ADDRESS = 3;
const fromAddress = (address: string) => ({ 'x-forwarded-for': address });

/** Two replicas of one deployment: one database, one Redis, one prefix for channels and rate-limit keys. */
async function replicas(env: Record<string, string>): Promise<[TestApp, TestApp]> {
  const shared = { database: uniqueName('limits'), channelPrefix: `${uniqueName('limits')}:`, env };
  return [await startTestApp(shared), await startTestApp(shared)];
}

const limits = {
  INGEST_RATE_LIMIT_PER_DEVICE: String(PER_DEVICE),
  INGEST_RATE_LIMIT_PER_ADDRESS: '0',
  INGEST_NEW_AMBULANCES_PER_ADDRESS_PER_HOUR: String(NEW_PER_ADDRESS),
};

describe('rate limits shared by instances through Redis (REDIS_URL)', () => {
  let apps: [TestApp, TestApp];
  before(async () => {
    apps = await replicas({ ...limits, REDIS_URL: testEnv.redisUrl });
  });
  after(() => closeAll(...apps.map((app) => () => app.close())));

  it('gives a device one budget across both instances, not one per instance', async () => {
    const [a, b] = apps;
    const device = uniqueName('dev');
    for (let n = 0; n < PER_DEVICE; n += 1) {
      const result = await postJson(n % 2 === 0 ? a : b, 'tracking', trackingFields(device), fromAddress('192.0.2.1'));
      assert.equal(result.status, 200, `post ${n + 1}: ${result.text}`);
    }
    for (const app of [a, b]) {
      const over = await postJson(app, 'tracking', trackingFields(device), fromAddress('192.0.2.1'));
      assertRefused(over, { status: 429, code: 'RATE_LIMITED' });
      assert.ok(Number(over.headers.get('retry-after')) >= 1);
    }
  });

  it('gives an address one budget of new ambulance ids across both instances', async () => {
    const [a, b] = apps;
    for (let n = 0; n < NEW_PER_ADDRESS; n += 1) {
      const result = await postJson(
        n % 2 === 0 ? a : b,
        'tracking',
        trackingFields(uniqueName('new')),
        fromAddress('192.0.2.2'),
      );
      assert.equal(result.status, 200, result.text);
    }
    for (const app of [a, b]) {
      const over = await postJson(app, 'tracking', trackingFields(uniqueName('new')), fromAddress('192.0.2.2'));
      assertRefused(over, { status: 429, code: 'NEW_AMBULANCE_RATE_LIMITED' });
    }
  });
});

describe('rate limits without REDIS_URL', () => {
  let apps: [TestApp, TestApp];
  before(async () => {
    apps = await replicas(limits);
  });
  after(() => closeAll(...apps.map((app) => () => app.close())));

  it('count in each instance alone (in memory, as before)', async () => {
    const [a, b] = apps;
    const device = uniqueName('dev');
    for (const app of [a, b]) {
      for (let n = 0; n < PER_DEVICE; n += 1) {
        const result = await postJson(app, 'tracking', trackingFields(device), fromAddress('192.0.2.3'));
        assert.equal(result.status, 200, result.text);
      }
      assertRefused(await postJson(app, 'tracking', trackingFields(device), fromAddress('192.0.2.3')), {
        status: 429,
        code: 'RATE_LIMITED',
      });
    }
  });
});
