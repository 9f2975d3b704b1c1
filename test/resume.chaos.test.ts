import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { type Client, createClient } from 'graphql-ws';
import mongoose, { Types } from 'mongoose';
import WebSocket from 'ws';
import { encodeCursor } from '../src/domain/cursor.js';
import { findFreePort } from '../src/infra/free-port.js';
import { ENDPOINTS, postFields, trackingFields } from './helpers/http.client.js';
import { closeAll, type OwnRedis, startOwnRedis } from './helpers/process.helpers.js';
import { runServer, type ServerProcess } from './helpers/server.process.js';
import { testEnv, uniqueName, waitUntil } from './helpers/test-env.js';

/**
 * Chaos: three server processes share one FerretDB and a Redis of the test's own; posters send to random
 * instances; 20 subscribers (per ambulance and fleet, tracking and crashes) drop their connection at random
 * moments and resume on a random instance with their last cursor; Redis is restarted once; one instance is
 * killed with SIGKILL and started again. Each subscriber must end with exactly the stored items of its scope
 * after its starting cursor, each once, in log order (so in order per ambulance).
 */

const AMBULANCES = 5;
const POSTING_MS = 24_000;
const REDIS_DOWN_AT_MS = 6_000;
const REDIS_DOWN_FOR_MS = 3_000;
const KILL_AT_MS = 13_000;
const KILLED_FOR_MS = 4_000;

type Kind = 'tracking' | 'crash';

interface Instance {
  readonly port: number;
  process: ServerProcess | null;
  alive: boolean;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class ChaosSubscriber {
  readonly received: string[] = [];
  connected = false;
  resumes = 0;
  private client: Client | null = null;

  constructor(
    readonly kind: Kind,
    readonly ambulanceId: string | null,
    private cursor: string,
  ) {}

  connect(port: number): void {
    this.resumes += 1;
    const client = createClient({
      url: `ws://127.0.0.1:${port}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
    });
    this.client = client;
    this.connected = true;
    const field = this.kind === 'tracking' ? 'trackingUpdated' : 'crashReported';
    const query = `subscription($id: ID, $after: String) { ${field}(ambulanceId: $id, after: $after) { id cursor } }`;
    const ended = () => {
      if (this.client !== client) return;
      this.connected = false;
      this.client = null;
      void client.dispose();
    };
    client.subscribe<Record<string, { id: string; cursor: string }>>(
      { query, variables: { id: this.ambulanceId, after: this.cursor } },
      {
        next: (result) => {
          if (this.client !== client) return;
          const item = result.data?.[field];
          if (item) {
            this.received.push(item.id);
            this.cursor = item.cursor;
          }
          if (result.errors) ended();
        },
        error: ended,
        complete: ended,
      },
    );
  }

  disconnect(): void {
    const client = this.client;
    this.client = null;
    this.connected = false;
    void client?.dispose();
  }
}

describe('resumable subscriptions under chaos (3 instances, Redis restart, SIGKILL)', () => {
  const instances: Instance[] = [];
  let redis: OwnRedis | undefined;
  let mongo: mongoose.mongo.MongoClient | undefined;
  let dataDir: string | undefined;
  const subscribers: ChaosSubscriber[] = [];

  after(async () => {
    for (const subscriber of subscribers) subscriber.disconnect();
    for (const instance of instances)
      if (instance.process?.child.exitCode === null) instance.process.child.kill('SIGKILL');
    await closeAll(
      () => redis?.stop('SIGKILL'),
      () => mongo?.close(),
      () => (dataDir ? rm(dataDir, { recursive: true, force: true }) : undefined),
    );
  });

  it('every subscriber ends with exactly the stored items of its scope, once each, in log order', async (t) => {
    const database = uniqueName('chaos');
    redis = await startOwnRedis();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'aoc-chaos-'));
    const env = (port: number) => ({
      MONGODB_URI: `${testEnv.mongoUri}${database}`,
      REDIS_URL: (redis as OwnRedis).url,
      EVENT_CHANNEL_PREFIX: `${database}:`,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      DATA_DIR: path.join(dataDir as string, `data-${port}`),
      UPLOAD_DIR: path.join(dataDir as string, `uploads-${port}`),
      INGEST_NEW_AMBULANCES_PER_ADDRESS_PER_HOUR: '0',
      STREAM_GAP_ABANDON_MS: '1000',
      STREAM_POLL_INTERVAL_MS: '300',
      STREAM_REPLAY_PAGE_SIZE: '50',
      // Positions are taken ahead by an instance that saw no other writer for 300 ms: both modes and the
      // switches between them (reserves given back as tombstones) happen during the run.
      STREAM_RESERVE_AFTER_MS: '300',
      STREAM_RESERVE_HOLD_MS: '100',
      SHUTDOWN_GRACE_SECONDS: '2',
    });
    const launch = async (instance: Instance) => {
      instance.process = runServer(env(instance.port));
      await instance.process.waitForLog((line) => line.msg === 'listening');
      instance.alive = true;
    };
    for (let index = 0; index < 3; index += 1)
      instances.push({ port: await findFreePort(), process: null, alive: false });
    await Promise.all(instances.map(launch));
    const alive = () => instances.filter((instance) => instance.alive);
    const url = (instance: Instance) => `http://127.0.0.1:${instance.port}`;

    mongo = await new mongoose.mongo.MongoClient(`${testEnv.mongoUri}${database}`).connect();
    const db = mongo.db(database);
    const ambulances = Array.from({ length: AMBULANCES }, (_, index) => `chaos${index}`);

    // One stored item per log first: every subscriber starts after it (the cursor of a known position).
    const seed = pick(instances);
    for (const endpoint of [ENDPOINTS.tracking, ENDPOINTS.crash]) {
      const result = await postFields(`${url(seed)}${endpoint}`, trackingFields(pick(ambulances), 30));
      assert.equal(result.status, 200, result.text);
    }
    const startOf = async (collection: string) => {
      const [last] = await db
        .collection(collection)
        .find({}, { sort: { seq: -1 }, limit: 1 })
        .toArray();
      assert.ok(typeof last?.seq === 'number');
      return {
        seq: last.seq as number,
        cursor: encodeCursor({ time: new Date(), id: String(last._id), seq: last.seq }),
      };
    };
    const start = { tracking: await startOf('ambulance_trackings'), crash: await startOf('ambulance_crashes') };
    for (let index = 0; index < 20; index += 1) {
      const kind: Kind = index < 15 ? 'tracking' : 'crash';
      const perAmbulance = index % 3 !== 2;
      subscribers.push(new ChaosSubscriber(kind, perAmbulance ? pick(ambulances) : null, start[kind].cursor));
    }
    for (const subscriber of subscribers) subscriber.connect(pick(alive()).port);

    // Posters: points and some crashes to random live instances; failures (an instance dying) just move on.
    let posting = true;
    let accepted = 0;
    const poster = async () => {
      while (posting) {
        const target = alive();
        if (target.length > 0) {
          const endpoint = Math.random() < 0.1 ? ENDPOINTS.crash : ENDPOINTS.tracking;
          try {
            const result = await postFields(`${url(pick(target))}${endpoint}`, trackingFields(pick(ambulances), 40));
            if (result.status === 200) accepted += 1;
          } catch {
            // connection refused or reset: the instance was killed
          }
        }
        await sleep(15);
      }
    };
    // Subscribers drop at random moments and resume, with their last cursor, on a random live instance.
    let churning = true;
    const churn = async () => {
      while (churning) {
        for (const subscriber of subscribers) {
          if (subscriber.connected && Math.random() < 0.08) subscriber.disconnect();
          else if (!subscriber.connected && alive().length > 0 && Math.random() < 0.5)
            subscriber.connect(pick(alive()).port);
        }
        await sleep(250);
      }
    };
    const chaos = async () => {
      await sleep(REDIS_DOWN_AT_MS);
      await (redis as OwnRedis).stop('SIGKILL');
      await sleep(REDIS_DOWN_FOR_MS);
      await (redis as OwnRedis).start();
      await sleep(KILL_AT_MS - REDIS_DOWN_AT_MS - REDIS_DOWN_FOR_MS);
      const victim = instances[1] as Instance;
      victim.alive = false;
      // A write in flight at the kill: positions taken, never stored (SIGKILL rarely lands inside one by itself).
      await takePositionsAndDie();
      victim.process?.child.kill('SIGKILL');
      await victim.process?.exited;
      await sleep(KILLED_FOR_MS);
      await launch(victim);
    };
    // Takes positions in the tracking log the way a writer does (compare-and-set on the log's document), and
    // never stores anything at them.
    let deadPositions = 0;
    let deadBlock: { from: number; to: number } | null = null;
    const takePositionsAndDie = async () => {
      const positions = db.collection<{ _id: string; next: number }>('stream_positions');
      for (;;) {
        const log = await positions.findOne({ _id: 'trackings' });
        const next = log?.next ?? 0;
        const block = { from: next + 1, to: next + 3, at: new Date(), owner: 'killed' };
        const taken = await positions.updateOne(
          { _id: 'trackings', next },
          { $set: { next: block.to, [`open.p${block.from}`]: block } },
        );
        if (taken.matchedCount === 1) {
          deadPositions = 3;
          deadBlock = block;
          return;
        }
      }
    };
    const posters = [poster(), poster(), poster()];
    const churner = churn();
    await Promise.all([chaos(), sleep(POSTING_MS)]);
    posting = false;
    await Promise.all(posters);
    churning = false;
    await churner;
    assert.ok(accepted > 50, `only ${accepted} posts were accepted`);

    // What each subscriber must have: the stored items of its scope after its start, in log order.
    const expectedOf = async (subscriber: ChaosSubscriber) => {
      const collection = subscriber.kind === 'tracking' ? 'ambulance_trackings' : 'ambulance_crashes';
      const filter: Record<string, unknown> = {
        seq: { $gt: start[subscriber.kind].seq },
        ambulance_id: subscriber.ambulanceId ?? { $exists: true },
      };
      const docs = await db
        .collection(collection)
        .find(filter, { sort: { seq: 1 }, projection: { _id: 1 } })
        .toArray();
      return docs.map((doc) => (doc._id as Types.ObjectId).toHexString());
    };
    // Settle: every subscriber reconnects (if it is not connected) and catches up.
    for (const subscriber of subscribers) if (!subscriber.connected) subscriber.connect(pick(alive()).port);
    await waitUntil(
      async () => {
        for (const subscriber of subscribers) {
          if (!subscriber.connected) subscriber.connect(pick(alive()).port);
          if (subscriber.received.length < (await expectedOf(subscriber)).length) return false;
        }
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 500, message: 'every subscriber to catch up' },
    );
    for (const subscriber of subscribers) {
      const expected = await expectedOf(subscriber);
      const scope = `${subscriber.kind} ${subscriber.ambulanceId ?? 'fleet'} (${subscriber.resumes} connections)`;
      assert.equal(new Set(subscriber.received).size, subscriber.received.length, `${scope}: an item came twice`);
      assert.deepEqual(subscriber.received, expected, `${scope}: not the stored items in log order`);
    }
    const tracked = await expectedOf(
      subscribers.find((s) => s.kind === 'tracking' && s.ambulanceId === null) as ChaosSubscriber,
    );
    assert.ok(tracked.length > 50, `only ${tracked.length} points stored`);
    const tombstones = await db.collection('ambulance_trackings').countDocuments({ abandoned: true });
    // Every position the dead writer took is settled: given up (a tombstone) or, where FerretDB let a live writer
    // take the same block (its compare-and-set is not atomic), holding that writer's item; a live writer that
    // lost its positions to a tombstone stored its items at new ones (checked above: nothing is missing).
    const block = deadBlock as { from: number; to: number } | null;
    assert.ok(block && deadPositions === 3, 'the dead writer took positions');
    const settled = await db
      .collection('ambulance_trackings')
      .countDocuments({ seq: { $gte: block.from, $lte: block.to } });
    assert.equal(settled, block.to - block.from + 1, "every position of the dead writer's block is settled");
    t.diagnostic(
      `accepted ${accepted} posts; ${tracked.length} points stored after the start; ${tombstones} tracking ` +
        `positions given up; ${subscribers.reduce((sum, s) => sum + s.resumes, 0)} subscriptions opened by 20 subscribers; ` +
        `${subscribers.reduce((sum, s) => sum + s.received.length, 0)} items received`,
    );
    assert.ok(
      subscribers.every((subscriber) => subscriber.resumes > 1),
      'every subscriber resumed at least once',
    );
  });
});
