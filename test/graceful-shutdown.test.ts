import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { SERVICE_RESTART_CLOSE_CODE } from '../src/ops/operations.js';
import { subscribe, wsClient } from './helpers/graphql.client.js';
import { ENDPOINTS, postFields, trackingFields } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { runServer, type ServerProcess } from './helpers/server.process.js';
import { testEnv, uniqueName, waitUntil } from './helpers/test-env.js';

const GRACE_SECONDS = 20;
const LOAD_CLIENTS = 6;
const SUBSCRIBERS = 3;
/** Points answered before SIGTERM, so the signal lands under load. */
const POINTS_BEFORE_SIGNAL = 300;
const MAX_POINTS_PER_CLIENT = 20_000;

interface Accepted {
  readonly ambulanceId: string;
  readonly latitude: number;
}

const keyOf = (ambulanceId: string, latitude: number) => `${ambulanceId}/${latitude}`;

describe('graceful shutdown of a real server process under ingest load', () => {
  let server: ServerProcess | undefined;
  let redis: Redis | undefined;
  let mongo: mongoose.mongo.MongoClient | undefined;

  after(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await closeAll(
      () => redis?.quit(),
      () => mongo?.close(),
    );
  });

  it('answers or refuses every request, keeps every accepted point, publishes its event, closes sockets with 1012 and exits 0 in time', async () => {
    const database = uniqueName('shutdown');
    const prefix = `${uniqueName('sd')}:`;
    server = runServer({
      MONGODB_URI: `${testEnv.mongoUri}${database}`,
      REDIS_URL: testEnv.redisUrl,
      EVENT_CHANNEL_PREFIX: prefix,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS),
    });
    const running = server;
    const url = String((await running.waitForLog((line) => line.msg === 'listening')).url);

    // Every event that reaches Redis, as another instance would see it.
    redis = new Redis(testEnv.redisUrl);
    const publishedIds = new Set<string>();
    redis.on('pmessage', (_pattern, _channel, message: string) => {
      publishedIds.add((JSON.parse(message) as { id: string }).id);
    });
    await redis.psubscribe(`${prefix}TRACKING_UPDATED.*`);

    const closeCodes: number[] = [];
    const clients = Array.from({ length: SUBSCRIBERS }, () => {
      const client = wsClient(`${url.replace('http', 'ws')}/graphql`);
      client.on('closed', (event) => closeCodes.push((event as { code: number }).code));
      return client;
    });
    const live = clients.map((client) => subscribe(client, 'subscription { trackingUpdated { id } }'));
    // A live event on each subscription shows all of them are registered before the load starts.
    await waitUntil(
      async () => {
        await postFields(`${url}${ENDPOINTS.tracking}`, trackingFields('warmup'));
        return live.every((subscription) => subscription.items.length > 0);
      },
      { intervalMs: 100, message: 'every subscriber to receive an event' },
    );

    const accepted: Accepted[] = [];
    let exited = false;
    const otherStatuses = new Map<number, number>();
    const load = Array.from({ length: LOAD_CLIENTS }, async (_, client) => {
      const ambulanceId = `GS${client}`;
      for (let sequence = 1; sequence <= MAX_POINTS_PER_CLIENT && !exited; sequence += 1) {
        const latitude = sequence / 10_000;
        try {
          const response = await postFields(
            `${url}${ENDPOINTS.tracking}`,
            trackingFields(ambulanceId, 60, { tracking_latitude: latitude }),
          );
          if (response.status === 200) accepted.push({ ambulanceId, latitude });
          else otherStatuses.set(response.status, (otherStatuses.get(response.status) ?? 0) + 1);
        } catch {
          // Refused or reset while the server stops accepting: not answered, so not counted as accepted.
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    });

    await waitUntil(() => accepted.length >= POINTS_BEFORE_SIGNAL, {
      timeoutMs: 60_000,
      message: `${POINTS_BEFORE_SIGNAL} accepted points`,
    });
    const signalledAt = Date.now();
    running.child.kill('SIGTERM');
    let hangGuard: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      running.exited,
      new Promise<'hung'>((resolve) => {
        hangGuard = setTimeout(() => resolve('hung'), (GRACE_SECONDS + 15) * 1000);
      }),
    ]);
    clearTimeout(hangGuard);
    const elapsedMs = Date.now() - signalledAt;
    exited = true;
    await Promise.all(load);

    assert.equal(code, 0, `exit code; stderr: ${running.stderr()}`);
    assert.ok(elapsedMs < GRACE_SECONDS * 1000, `exited within the grace period (took ${elapsedMs} ms)`);
    assert.ok(running.lines.some((line) => line.msg === 'shutting down' && line.reason === 'SIGTERM'));
    assert.ok(running.lines.some((line) => line.msg === 'stopped' && line.exitCode === 0));
    assert.deepEqual(otherStatuses, new Map(), 'no request was answered with an error status');

    assert.equal(closeCodes.length, SUBSCRIBERS, `close codes ${JSON.stringify(closeCodes)}`);
    assert.ok(
      closeCodes.every((closeCode) => closeCode === SERVICE_RESTART_CLOSE_CODE),
      `close codes ${JSON.stringify(closeCodes)}`,
    );
    for (const client of clients) await client.dispose();

    mongo = new mongoose.mongo.MongoClient(testEnv.mongoUri);
    const stored = await mongo
      .db(database)
      .collection<{ _id: mongoose.Types.ObjectId; ambulance_id: string; location: { lat: number } }>(
        'ambulance_trackings',
      )
      .find({ ambulance_id: { $in: Array.from({ length: LOAD_CLIENTS }, (_, client) => `GS${client}`) } })
      .project<{ _id: mongoose.Types.ObjectId; ambulance_id: string; location: { lat: number } }>({
        ambulance_id: 1,
        'location.lat': 1,
      })
      .toArray();
    const storedIds = new Map(stored.map((doc) => [keyOf(doc.ambulance_id, doc.location.lat), doc._id.toHexString()]));
    const missing = accepted.filter((point) => !storedIds.has(keyOf(point.ambulanceId, point.latitude)));
    assert.deepEqual(missing, [], `${missing.length} of ${accepted.length} accepted points are not stored`);

    // Every accepted point's event left the outbox before the process exited.
    await waitUntil(
      () => accepted.every((point) => publishedIds.has(storedIds.get(keyOf(point.ambulanceId, point.latitude)) ?? '')),
      { timeoutMs: 5000, message: 'the event of every accepted point on Redis' },
    );
  });
});
