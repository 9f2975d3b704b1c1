import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type FerretdbHandle, startFerretdb } from '../src/infra/ferretdb.process.js';
import { findFreePort } from '../src/infra/free-port.js';
import type { ReadinessReport } from '../src/ops/readiness.js';
import { graphqlRequest, subscribe, wsClient } from './helpers/graphql.client.js';
import { ENDPOINTS, getUrl, postFields, trackingFields } from './helpers/http.client.js';
import { sampleValue, scrape } from './helpers/metrics.helpers.js';
import { closeAll, startOwnRedis } from './helpers/process.helpers.js';
import { runServer, type ServerProcess } from './helpers/server.process.js';
import { startTestApp, type TestApp, waitForSubscribers } from './helpers/test-app.js';
import { testEnv, uniqueName, waitUntil } from './helpers/test-env.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function readiness(baseUrl: string): Promise<{ status: number; report: ReadinessReport; text: string }> {
  const result = await getUrl(`${baseUrl}/readyz`);
  return { status: result.status, report: result.body as ReadinessReport, text: result.text };
}

describe('/healthz, /readyz, /metrics and request ids', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });

  it('/healthz answers 200 to GET and HEAD, 405 to other methods', async () => {
    const get = await getUrl(`${app.url}/healthz`);
    assert.equal(get.status, 200);
    assert.deepEqual(get.body, { status: 'ok' });
    assert.equal(get.headers.get('cache-control'), 'no-store');
    const head = await fetch(`${app.url}/healthz`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    const post = await fetch(`${app.url}/healthz`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
  });

  it('/readyz answers 200 and pings MongoDB and Redis', async () => {
    const { status, report } = await readiness(app.url);
    assert.equal(status, 200);
    assert.equal(report.status, 'ready');
    assert.deepEqual(report.down, []);
    assert.equal(report.checks.mongodb?.status, 'up');
    assert.equal(report.checks.redis?.status, 'up');
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed or missing one, on every kind of request', async () => {
    const given = await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': 'proxy-4f2a.77:1' } });
    assert.equal(given.headers.get('x-request-id'), 'proxy-4f2a.77:1');
    for (const malformed of ['has spaces in it', 'x'.repeat(200), '<script>']) {
      const response = await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': malformed } });
      assert.match(response.headers.get('x-request-id') ?? '', UUID, malformed);
    }
    const ingest = await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields('RID1'));
    assert.match(ingest.headers.get('x-request-id') ?? '', UUID);
    const graphql = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'gql-1' },
      body: JSON.stringify({ query: '{ ambulances { id } }' }),
    });
    assert.equal(graphql.headers.get('x-request-id'), 'gql-1');
    const first = await getUrl(`${app.url}/`);
    const second = await getUrl(`${app.url}/`);
    assert.notEqual(first.headers.get('x-request-id'), second.headers.get('x-request-id'));
  });

  it('/metrics counts ingest by endpoint and status, stored records, publish latency, sockets, subscriptions and GraphQL', async () => {
    const ambulance = uniqueName('met');
    const client = wsClient(app.wsUrl);
    const live = subscribe(client, 'subscription($id: ID) { trackingUpdated(ambulanceId: $id) { id } }', {
      id: ambulance,
    });
    const crashes = subscribe(client, 'subscription { crashReported { id } }');
    await waitForSubscribers(app, 2);
    const before = await scrape(app.url);
    const trackingOk = (samples: typeof before) =>
      sampleValue(samples, 'aoc_ingest_requests_total', { endpoint: 'tracking', status: '200' }) ?? 0;
    const trackingRefused = (samples: typeof before) =>
      sampleValue(samples, 'aoc_ingest_requests_total', { endpoint: 'tracking', status: '400' }) ?? 0;
    const stored = (samples: typeof before) => sampleValue(samples, 'aoc_records_stored_total', { kind: 'tracking' });
    const latencyCount = (samples: typeof before) =>
      sampleValue(samples, 'aoc_event_publish_latency_seconds_count', { kind: 'tracking' }) ?? 0;

    for (let index = 0; index < 3; index += 1) {
      assert.equal((await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields(ambulance))).status, 200);
    }
    const refused = await postFields(
      `${app.url}${ENDPOINTS.tracking}`,
      trackingFields(ambulance, 50, { tracking_latitude: 91 }),
    );
    assert.equal(refused.status, 400);
    // Any case and a trailing slash reach the same endpoint, and count under the same label.
    const oddSpelling = await postFields(
      `${app.url}/API/tracking/postambulancetracking/`,
      trackingFields(ambulance),
      'form',
    );
    assert.equal(oddSpelling.status, 200);
    await live.waitFor(4);
    assert.equal((await graphqlRequest(app.graphqlUrl, '{ ambulances { id } }')).status, 200);
    const invalid = await graphqlRequest(app.graphqlUrl, '{ noSuchField }');
    assert.equal(invalid.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');

    const after = await scrape(app.url);
    assert.equal(trackingOk(after) - trackingOk(before), 4);
    assert.equal(trackingRefused(after) - trackingRefused(before), 1);
    assert.equal((stored(after) ?? 0) - (stored(before) ?? 0), 4);
    assert.equal(latencyCount(after) - latencyCount(before), 4, 'every published point has its latency observed');
    assert.ok((sampleValue(after, 'aoc_event_publish_latency_seconds_sum', { kind: 'tracking' }) ?? -1) >= 0);
    assert.equal(sampleValue(after, 'aoc_websocket_connections'), 1);
    assert.equal(sampleValue(after, 'aoc_graphql_subscriptions', { field: 'trackingUpdated' }), 1);
    assert.equal(sampleValue(after, 'aoc_graphql_subscriptions', { field: 'crashReported' }), 1);
    assert.ok((sampleValue(after, 'aoc_graphql_operation_duration_seconds_count', { operation: 'query' }) ?? 0) >= 1);
    assert.ok(
      (sampleValue(after, 'aoc_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED', operation: 'unknown' }) ??
        0) >= 1,
    );
    assert.equal(sampleValue(after, 'aoc_mongodb_up'), 1);
    assert.equal(sampleValue(after, 'aoc_redis_up'), 1);
    assert.equal(sampleValue(after, 'aoc_event_outbox_size'), 0);
    assert.equal(sampleValue(after, 'aoc_event_publish_failures_total'), 0);
    assert.equal(typeof sampleValue(after, 'aoc_unhandled_errors_total', { kind: 'uncaughtException' }), 'number');
    assert.equal(typeof sampleValue(after, 'process_resident_memory_bytes'), 'number', 'default process metrics');
    assert.equal(typeof sampleValue(after, 'nodejs_eventloop_lag_seconds'), 'number');

    live.dispose();
    crashes.dispose();
    await client.dispose();
    await waitUntil(async () => sampleValue(await scrape(app.url), 'aoc_websocket_connections') === 0, {
      message: 'the socket gauge to fall back to 0',
    });
  });

  it('/readyz turns 503 "shutting down" once shutdown starts, while /healthz stays 200', async () => {
    const other = await startTestApp({ events: 'local' });
    try {
      assert.equal((await readiness(other.url)).status, 200);
      assert.equal((await readiness(other.url)).report.checks.events?.status, 'up', 'in-process events are named');
      other.app.ops.readiness.markShuttingDown();
      const { status, report } = await readiness(other.url);
      assert.equal(status, 503);
      assert.equal(report.status, 'shutting down');
      assert.equal((await getUrl(`${other.url}/healthz`)).status, 200);
    } finally {
      await other.close();
    }
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  it('answers 401 without the bearer token and 200 with it', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const app = await startTestApp({ events: 'local', env: { METRICS_TOKEN: token } });
    try {
      const missing = await fetch(`${app.url}/metrics`);
      assert.equal(missing.status, 401);
      assert.match(missing.headers.get('www-authenticate') ?? '', /Bearer/);
      const wrong = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${token.slice(1)}x` } });
      assert.equal(wrong.status, 401);
      const samples = await scrape(app.url, { authorization: `Bearer ${token}` });
      assert.equal(sampleValue(samples, 'aoc_mongodb_up'), 1);
      assert.equal((await getUrl(`${app.url}/readyz`)).status, 200, 'readiness needs no token');
    } finally {
      await app.close();
    }
  });
});

describe('/metrics only to METRICS_ALLOWED_NETWORKS', () => {
  it('refuses a scrape from outside the listed networks, token or not, and keeps /healthz open', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const app = await startTestApp({
      events: 'local',
      env: { METRICS_ALLOWED_NETWORKS: '10.0.0.0/8', METRICS_TOKEN: token },
    });
    try {
      const refused = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(refused.status, 403);
      assert.match(((await refused.json()) as { error: string }).error, /METRICS_ALLOWED_NETWORKS/);
      assert.equal((await getUrl(`${app.url}/healthz`)).status, 200);
    } finally {
      await app.close();
    }
  });

  it('answers loopback by default (private networks, where Prometheus scrapes from)', async () => {
    const app = await startTestApp({ events: 'local' });
    try {
      assert.equal(sampleValue(await scrape(app.url), 'aoc_mongodb_up'), 1);
    } finally {
      await app.close();
    }
  });
});

describe('/readyz names what is down', () => {
  let dataDir: string | undefined;
  let ferretdb: FerretdbHandle | undefined;
  let app: TestApp | undefined;
  let redis: Awaited<ReturnType<typeof startOwnRedis>> | undefined;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'aoc-readyz-'));
    ferretdb = await startFerretdb({ binary: testEnv.ferretdbBin, dataDir, port: await findFreePort() });
    redis = await startOwnRedis();
    app = await startTestApp({
      mongoUri: ferretdb.uri,
      events: { redisUrl: redis.url },
      env: { MONGODB_SERVER_SELECTION_TIMEOUT_MS: '500', READINESS_TIMEOUT_MS: '300' },
    });
  });

  after(async () => {
    await closeAll(
      () => app?.close(),
      () => redis?.stop(),
      () => ferretdb?.stop(),
      () => (dataDir ? rm(dataDir, { recursive: true, force: true }) : undefined),
    );
  });

  it('503 with redis down while Redis is stopped, 200 again once it is back', async () => {
    assert.ok(app && redis);
    const url = app.url;
    assert.equal((await readiness(url)).status, 200);
    await redis.stop();
    const down = await waitUntil(
      async () => {
        const result = await readiness(url);
        return result.status === 503 ? result : null;
      },
      { message: 'readyz to report Redis down' },
    );
    assert.equal(down.report.status, 'not ready');
    assert.deepEqual(down.report.down, ['redis']);
    assert.equal(down.report.checks.mongodb?.status, 'up');
    assert.doesNotMatch(down.text, /127\.0\.0\.1|ECONNREFUSED/, 'no addresses or driver messages in the answer');
    assert.equal(sampleValue(await scrape(url), 'aoc_redis_up'), 0);
    await redis.start();
    await waitUntil(async () => (await readiness(url)).status === 200, { message: 'readyz to recover' });
  });

  it('503 with mongodb down while the database is stopped, 200 again once it is back', async () => {
    assert.ok(app && ferretdb && dataDir);
    const url = app.url;
    const port = Number(new URL(ferretdb.uri).port);
    await ferretdb.stop();
    const down = await waitUntil(
      async () => {
        const result = await readiness(url);
        return result.status === 503 ? result : null;
      },
      { message: 'readyz to report MongoDB down' },
    );
    assert.deepEqual(down.report.down, ['mongodb']);
    assert.equal(down.report.checks.redis?.status, 'up');
    ferretdb = await startFerretdb({ binary: testEnv.ferretdbBin, dataDir, port });
    await waitUntil(async () => (await readiness(url)).status === 200, {
      timeoutMs: 30_000,
      message: 'readyz to recover',
    });
  });
});

describe('request ids in the logs of a real server process', () => {
  let server: ServerProcess | undefined;
  after(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('carries X-Request-Id into ingest refusals and GraphQL error logs, as JSON lines with a level name', async () => {
    server = runServer({
      MONGODB_URI: `${testEnv.mongoUri}${uniqueName('logs')}`,
      REDIS_URL: undefined,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
    });
    const listening = await server.waitForLog((line) => line.msg === 'listening');
    assert.equal(listening.level, 'info');
    assert.match(String(listening.time), /^\d{4}-\d\d-\d\dT/);
    const url = String(listening.url);

    const refused = await fetch(`${url}${ENDPOINTS.tracking}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'device-req-1', authorization: 'Bearer s3cr3t' },
      body: JSON.stringify(trackingFields('LOG1', 50, { tracking_longitude: 500 })),
    });
    assert.equal(refused.status, 400);
    const refusal = await server.waitForLog((line) => line.msg === 'ingest refused');
    assert.equal(refusal.reqId, 'device-req-1');
    assert.equal(refusal.code, 'INVALID_FIELD');
    assert.equal(refusal.field, 'tracking_longitude');
    assert.equal(refusal.level, 'warn');

    const accepted = await postFields(`${url}${ENDPOINTS.tracking}`, trackingFields('LOG1'));
    assert.equal(accepted.status, 200);

    await graphqlRequest(`${url}/graphql`, '{ noSuchField }', {}, { 'x-request-id': 'dashboard-req-2' });
    const graphqlLine = await server.waitForLog((line) => line.msg === 'graphql request answered with errors');
    assert.equal(graphqlLine.reqId, 'dashboard-req-2');
    assert.deepEqual(graphqlLine.codes, ['GRAPHQL_VALIDATION_FAILED']);

    const everything = JSON.stringify(server.lines);
    assert.doesNotMatch(everything, /s3cr3t/, 'no credentials in the logs');
    assert.equal(
      server.lines.filter((line) => line.path === ENDPOINTS.tracking && line.msg !== 'ingest refused').length,
      0,
      'successful ingest requests are not logged one by one',
    );
  });
});
