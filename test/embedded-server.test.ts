import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findFreePort } from '../src/infra/free-port.js';
import { graphqlRequest, subscribe, wsClient } from './helpers/graphql.client.js';
import { ENDPOINTS, postFields, trackingFields } from './helpers/http.client.js';
import { startOwnRedis } from './helpers/process.helpers.js';
import { runServer, type ServerProcess } from './helpers/server.process.js';
import { testEnv, uniqueName, waitUntil } from './helpers/test-env.js';

const HISTORY = '{ trackingHistory(ambulanceId: "E1") { edges { node { id speed } } } }';
type History = { trackingHistory: { edges: Array<{ node: { id: string; speed: number } }> } };

async function startEmbedded(dataDir: string, uploadDir: string) {
  const server = runServer({
    MONGODB_URI: undefined,
    REDIS_URL: undefined,
    DATA_DIR: dataDir,
    UPLOAD_DIR: uploadDir,
    FERRETDB_BIN: testEnv.ferretdbBin,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
  });
  const listening = await server.waitForLog((line) => line.msg === 'listening');
  return { server, url: String(listening.url) };
}

async function stop(server: ServerProcess): Promise<number | null> {
  server.child.kill('SIGTERM');
  return server.exited;
}

describe('the README run command on embedded defaults (no MONGODB_URI, no REDIS_URL)', () => {
  let dataDir: string;
  let uploadDir: string;
  const running: ServerProcess[] = [];

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'aoc-embedded-'));
    uploadDir = await mkdtemp(path.join(os.tmpdir(), 'aoc-embedded-uploads-'));
  });

  after(async () => {
    for (const server of running) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    await rm(uploadDir, { recursive: true, force: true });
  });

  it('starts a local FerretDB and in-process events, logs that choice, and serves ingest, GraphQL and subscriptions', async () => {
    const { server, url } = await startEmbedded(dataDir, uploadDir);
    running.push(server);
    const chosen = server.lines.find((line) => line.msg === 'backends chosen');
    assert.match(String(chosen?.mongodb), /embedded FerretDB/);
    assert.match(String(chosen?.events), /in-process/);

    const client = wsClient(`${url.replace('http', 'ws')}/graphql`);
    const live = subscribe<{ speed: number }>(client, 'subscription { trackingUpdated(ambulanceId: "E1") { speed } }');
    // The subscription is registered asynchronously; post until the first event shows it is live.
    await waitUntil(
      async () => {
        const response = await postFields(`${url}${ENDPOINTS.tracking}`, trackingFields('E1', 42));
        assert.equal(response.status, 200);
        return live.items.length > 0;
      },
      { intervalMs: 200, message: 'a live event in embedded mode' },
    );
    assert.equal(live.items[0]?.speed, 42);
    live.dispose();
    await client.dispose();

    const history = await graphqlRequest<History>(`${url}/graphql`, HISTORY);
    assert.ok((history.data?.trackingHistory.edges.length ?? 0) >= 1);

    const pidFile = path.join(dataDir, 'mongodb', 'ferretdb.pid');
    const ferretPid = Number(await readFile(pidFile, 'utf8'));
    assert.equal(await stop(server), 0, 'SIGTERM exits cleanly');
    assert.equal(existsSync(pidFile), false, 'the embedded FerretDB was stopped with the server');
    assert.throws(() => process.kill(ferretPid, 0), 'no FerretDB process is left behind');
  });

  it('keeps the data across a server restart', async () => {
    const before = await (async () => {
      const { server, url } = await startEmbedded(dataDir, uploadDir);
      running.push(server);
      const response = await graphqlRequest<History>(`${url}/graphql`, HISTORY);
      const ids = response.data?.trackingHistory.edges.map((edge) => edge.node.id) ?? [];
      assert.equal((await postFields(`${url}${ENDPOINTS.tracking}`, trackingFields('E1', 99))).status, 200);
      assert.equal(await stop(server), 0);
      return ids;
    })();
    assert.ok(before.length >= 1, 'points from the first run were found after the first restart');

    const { server, url } = await startEmbedded(dataDir, uploadDir);
    running.push(server);
    const response = await graphqlRequest<History>(`${url}/graphql`, HISTORY);
    const edges = response.data?.trackingHistory.edges ?? [];
    assert.deepEqual(
      edges.slice(0, before.length).map((edge) => edge.node.id),
      before,
    );
    assert.equal(edges.at(-1)?.node.speed, 99);
    assert.equal(edges.length, before.length + 1);
    assert.equal(await stop(server), 0);
  });

  it('switches to the configured MongoDB and Redis when MONGODB_URI and REDIS_URL are set', async () => {
    const server = runServer({
      MONGODB_URI: `${testEnv.mongoUri}${uniqueName('switch')}`,
      REDIS_URL: testEnv.redisUrl,
      EVENT_CHANNEL_PREFIX: `${uniqueName('sw')}:`,
      UPLOAD_DIR: uploadDir,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
    });
    running.push(server);
    await server.waitForLog((line) => line.msg === 'listening');
    const chosen = server.lines.find((line) => line.msg === 'backends chosen');
    assert.match(String(chosen?.mongodb), /^mongodb:\/\/127\.0\.0\.1:\d+\/switch_/);
    assert.match(String(chosen?.events), /^redis redis:\/\/127\.0\.0\.1:\d+/);
    assert.equal(await stop(server), 0);
  });

  it('starts and stores data while Redis is down, and delivers the events once Redis is up', async () => {
    const redisPort = await findFreePort();
    const server = runServer({
      MONGODB_URI: `${testEnv.mongoUri}${uniqueName('noredis')}`,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      EVENT_CHANNEL_PREFIX: `${uniqueName('nr')}:`,
      UPLOAD_DIR: uploadDir,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
    });
    running.push(server);
    const url = String((await server.waitForLog((line) => line.msg === 'listening')).url);
    assert.ok(server.lines.some((line) => /redis not reachable/.test(String(line.msg))));

    const client = wsClient(`${url.replace('http', 'ws')}/graphql`);
    const live = subscribe<{ speed: number }>(client, 'subscription { trackingUpdated(ambulanceId: "NR1") { speed } }');
    const response = await postFields(`${url}${ENDPOINTS.tracking}`, trackingFields('NR1', 61));
    assert.equal(response.status, 200, 'a device is answered while Redis is down');
    const history = await graphqlRequest<History>(
      `${url}/graphql`,
      '{ trackingHistory(ambulanceId: "NR1") { edges { node { id speed } } } }',
    );
    assert.deepEqual(
      history.data?.trackingHistory.edges.map((edge) => edge.node.speed),
      [61],
    );

    const redis = await startOwnRedis({ port: redisPort });
    try {
      const [event] = await live.waitFor(1, 20_000);
      assert.equal(event?.speed, 61, 'the event kept while Redis was down arrives once it is up');
    } finally {
      live.dispose();
      await client.dispose();
      assert.equal(await stop(server), 0);
      await redis.stop();
    }
  });

  it('refuses to start on a bad setting and names it', async () => {
    const server = runServer({ PORT: 'not-a-port', CRASH_DUPLICATE_WINDOW_SECONDS: '-5', LOG_LEVEL: 'info' });
    running.push(server);
    const code = await server.exited;
    assert.notEqual(code, 0);
    assert.match(server.stderr(), /PORT/);
    assert.match(server.stderr(), /CRASH_DUPLICATE_WINDOW_SECONDS/);
  });
});
