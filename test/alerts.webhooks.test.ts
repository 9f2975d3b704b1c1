import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import mongoose from 'mongoose';
import { AlertClaims } from '../src/alerts/alert.claims.js';
import { verifySignature } from '../src/alerts/webhook.signature.js';
import type { AmbulanceEventRecord } from '../src/domain/ambulance-event.js';
import type { AlertOutboxDoc } from '../src/models/alert-outbox.model.js';
import { sampleValue, scrape } from './helpers/metrics.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { testEnv, uniqueName, waitUntil } from './helpers/test-env.js';
import { WebhookReceiver } from './helpers/webhook.receiver.js';

const SECRET = 'alert-secret-'.padEnd(40, 'x');

/** Fast retries, so a test sees several attempts in well under a second. */
const FAST = {
  ALERT_WEBHOOK_SECRET: SECRET,
  ALERT_RETRY_BASE_MS: '40',
  ALERT_RETRY_MAX_MS: '200',
  ALERT_POLL_INTERVAL_MS: '30',
  ALERT_WEBHOOK_TIMEOUT_MS: '2000',
  CRASH_ESCALATE_AFTER_SECONDS: '0',
};

function eventOf(overrides: Partial<AmbulanceEventRecord> = {}): AmbulanceEventRecord {
  return {
    id: `evt-${randomUUID()}`,
    ambulanceId: '332',
    kind: 'CRASH_REPORTED',
    at: new Date(),
    place: null,
    status: null,
    previousStatus: null,
    crashId: 'c-1',
    note: null,
    by: null,
    ...overrides,
  };
}

const outboxOf = (app: TestApp) => app.app.models.collections.alertOutbox;

async function waitForState(app: TestApp, alertId: string, state: 'delivered' | 'failed', timeoutMs = 20_000) {
  return waitUntil(async () => (await outboxOf(app).findOne({ alert_id: alertId, state })) ?? null, {
    timeoutMs,
    message: `alert ${alertId} ${state}`,
  });
}

/** Gives the delivery loops time for several more polls, to see that nothing else is sent. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

describe('alert webhooks against a real receiver', () => {
  const receiver = new WebhookReceiver();
  const apps: TestApp[] = [];
  const start = async (env: Record<string, string>, database?: string) => {
    const app = await startTestApp({ events: 'local', env: { ...FAST, ...env }, ...(database ? { database } : {}) });
    apps.push(app);
    return app;
  };

  before(async () => {
    await receiver.start();
  });
  after(async () => {
    for (const app of apps) await app.close();
    await receiver.stop();
  });

  it('retries a receiver that fails twice: delivered once, one key on every attempt, every signature verifies', async () => {
    const app = await start({ ALERT_WEBHOOK_URLS: `${receiver.url}/retry|CRASH_REPORTED` });
    receiver.answer = (_index, path) => (path === '/retry' && receiver.on('/retry').length < 2 ? 500 : 200);
    const event = eventOf({ note: 'ünïcode survives' });
    assert.equal(await app.app.alerts.outbox.enqueueEvent(event), 1);
    await waitForState(app, event.id, 'delivered');
    await settle();

    const requests = receiver.on('/retry');
    assert.deepEqual(
      requests.map((request) => request.answered),
      [500, 500, 200],
      'two failures, then one success, then nothing more',
    );
    assert.deepEqual(
      requests.map((request) => request.headers['idempotency-key']),
      [event.id, event.id, event.id],
    );
    assert.deepEqual(
      requests.map((request) => request.headers['x-alert-attempt']),
      ['1', '2', '3'],
    );
    for (const request of requests) {
      assert.equal(request.body, requests[0]?.body, 'the same bytes on every attempt');
      assert.equal(request.headers['content-type'], 'application/json');
      assert.ok(verifySignature(request.body, String(request.headers['x-signature']), SECRET), 'signature verifies');
      assert.ok(!verifySignature(request.body, String(request.headers['x-signature']), 'x'.repeat(40)));
    }
    const body = JSON.parse(requests[0]?.body ?? '{}');
    assert.deepEqual(body, {
      version: 1,
      id: event.id,
      kind: 'CRASH_REPORTED',
      at: event.at.toISOString(),
      ambulanceId: '332',
      place: null,
      status: null,
      previousStatus: null,
      crashId: 'c-1',
      note: 'ünïcode survives',
      by: null,
      crash: null,
    });

    // Enqueueing the same event again (a retry, another instance) adds no delivery.
    assert.equal(await app.app.alerts.outbox.enqueueEvent(event), 0);
    await settle();
    assert.equal(receiver.on('/retry').length, 3);
    assert.equal(await outboxOf(app).countDocuments({ alert_id: event.id }), 1);

    const samples = await scrape(app.url);
    assert.equal(sampleValue(samples, 'aoc_alerts_delivered_total', { kind: 'CRASH_REPORTED' }), 1);
    assert.equal(sampleValue(samples, 'aoc_alert_delivery_attempts_total', { outcome: 'http_error' }), 2);
    assert.equal(sampleValue(samples, 'aoc_alert_delivery_attempts_total', { outcome: 'success' }), 1);
    assert.equal(sampleValue(samples, 'aoc_alerts_pending'), 0);
    assert.equal(sampleValue(samples, 'aoc_alerts_failed_total', { kind: 'CRASH_REPORTED' }), 0);
  });

  it('a receiver down across a server restart: nothing lost, nothing sent twice, never a new key', async () => {
    const database = uniqueName('alerts_restart');
    const env = { ALERT_WEBHOOK_URLS: `${receiver.url}/restart` };
    const first = await start(env, database);
    receiver.answer = (_index, path) => (path === '/restart' ? 503 : 200);
    const event = eventOf({ kind: 'WENT_OFFLINE', crashId: null });
    assert.equal(await first.app.alerts.outbox.enqueueEvent(event), 1);
    await waitUntil(() => receiver.on('/restart').length >= 2, { message: 'two refused attempts' });

    // The receiver goes down completely, and the server restarts while it is down.
    await receiver.stop();
    const pendingBefore = await scrape(first.url);
    assert.equal(sampleValue(pendingBefore, 'aoc_alerts_pending'), 1, 'pending while the receiver fails');
    await first.close();

    const second = await start(env, database);
    const stored = await outboxOf(second).findOne({ alert_id: event.id });
    assert.equal(stored?.state, 'pending', 'still waiting in MongoDB after the shutdown');
    const attemptsBefore = stored?.attempts ?? 0;
    await waitUntil(
      async () => ((await outboxOf(second).findOne({ alert_id: event.id }))?.attempts ?? 0) > attemptsBefore,
      {
        message: 'the new server retrying against the down receiver',
      },
    );
    const downError = (await outboxOf(second).findOne({ alert_id: event.id }))?.last_error;
    assert.match(String(downError), /ECONNREFUSED|fetch failed/);

    receiver.answer = () => 200;
    await receiver.start();
    await waitForState(second, event.id, 'delivered');
    await settle();

    const requests = receiver.on('/restart');
    assert.ok(requests.length >= 3, `${requests.length} requests`);
    assert.deepEqual(
      requests.map((request) => request.answered),
      [...requests.slice(0, -1).map(() => 503), 200],
      'taken once, at the end',
    );
    assert.deepEqual(new Set(requests.map((request) => request.headers['idempotency-key'])), new Set([event.id]));
    assert.equal(
      new Set(requests.map((request) => request.body)).size,
      1,
      'the same body before and after the restart',
    );
    assert.equal(await outboxOf(second).countDocuments({ alert_id: event.id }), 1);
  });

  it('a shutdown aborts a request the receiver holds and hands it back: the next start sends it, same key', async () => {
    const database = uniqueName('alerts_shutdown');
    // A grace of 2 s gives requests in flight 0.5 s, far less than the request timeout.
    const env = {
      ALERT_WEBHOOK_URLS: `${receiver.url}/hold`,
      ALERT_WEBHOOK_TIMEOUT_MS: '60000',
      SHUTDOWN_GRACE_SECONDS: '2',
    };
    const first = await start(env, database);
    receiver.answer = (_index, path) => (path === '/hold' ? 0 : 200);
    const event = eventOf();
    await first.app.alerts.outbox.enqueueEvent(event);
    await waitUntil(() => receiver.on('/hold').length === 1, { message: 'the held request' });
    await first.close();

    const connection = await mongoose.createConnection(`${testEnv.mongoUri}${database}`).asPromise();
    try {
      const stored = await connection.collection<AlertOutboxDoc>('alert_outbox').findOne({ alert_id: event.id });
      assert.equal(stored?.state, 'pending');
      assert.equal(stored?.last_error, 'aborted at shutdown');
      assert.ok(stored && stored.lease_until.getTime() <= Date.now(), 'not held by the stopped instance');
    } finally {
      await connection.close();
    }

    receiver.answer = () => 200;
    const second = await start(env, database);
    await waitForState(second, event.id, 'delivered');
    const requests = receiver.on('/hold');
    assert.equal(requests.length, 2);
    assert.deepEqual(
      requests.map((request) => request.headers['idempotency-key']),
      [event.id, event.id],
    );
    assert.deepEqual(
      requests.map((request) => request.answered),
      [0, 200],
    );
  });

  it('a receiver that hangs holds up only its own deliveries: a crash alert to another webhook goes out at once', async () => {
    const env = {
      ALERT_WEBHOOK_URLS: `${receiver.url}/stuck|SPEEDING_STARTED ; ${receiver.url}/pager|CRASH_REPORTED`,
      // Far longer than this test waits: a request to /stuck is never over while it runs.
      ALERT_WEBHOOK_TIMEOUT_MS: '60000',
      SHUTDOWN_GRACE_SECONDS: '2',
    };
    const app = await start(env);
    receiver.answer = (_index, path) => (path === '/stuck' ? 0 : 200);
    try {
      // More than the stuck webhook may have in flight: some of its deliveries wait, due, ahead of the crash.
      for (let index = 0; index < 12; index += 1) {
        await app.app.alerts.outbox.enqueueEvent(eventOf({ kind: 'SPEEDING_STARTED', crashId: null }));
      }
      await waitUntil(() => receiver.on('/stuck').length >= 8, { message: 'the stuck webhook full' });
      const crash = eventOf();
      await app.app.alerts.outbox.enqueueEvent(crash);
      await waitForState(app, crash.id, 'delivered', 5_000);
      assert.equal(receiver.on('/pager').at(-1)?.headers['idempotency-key'], crash.id);
      assert.equal(receiver.on('/stuck').length, 8, 'the stuck webhook gets no more than its own slots');
    } finally {
      receiver.answer = () => 200;
    }
  });

  it('two instances over one database deliver each alert once', async () => {
    const database = uniqueName('alerts_two');
    const env = { ALERT_WEBHOOK_URLS: `${receiver.url}/two`, ALERT_POLL_INTERVAL_MS: '10' };
    const [a, b] = [await start(env, database), await start(env, database)];
    assert.ok(a && b);
    receiver.answer = () => 200;
    const events = Array.from({ length: 24 }, (_, index) => eventOf({ ambulanceId: String(100 + index) }));
    // Each event reaches both instances, as when two instances record or reconcile the same event.
    await Promise.all(
      events.flatMap((event) => [a.app.alerts.outbox.enqueueEvent(event), b.app.alerts.outbox.enqueueEvent(event)]),
    );
    for (const event of events) await waitForState(a, event.id, 'delivered');
    await settle();

    const keys = receiver.on('/two').map((request) => String(request.headers['idempotency-key']));
    assert.equal(keys.length, events.length, 'one request per alert');
    assert.deepEqual(new Set(keys), new Set(events.map((event) => event.id)));
    const delivered = async (app: TestApp) =>
      sampleValue(await scrape(app.url), 'aoc_alerts_delivered_total', { kind: 'CRASH_REPORTED' }) ?? 0;
    assert.equal((await delivered(a)) + (await delivered(b)), events.length, 'the instances counted each once');
  });

  it('prunes delivered and failed deliveries past ALERT_RETENTION_DAYS, never pending ones', async () => {
    const app = await start({ ALERT_RETENTION_DAYS: '30' });
    const outbox = outboxOf(app);
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
    const stored = (id: string, state: 'pending' | 'delivered' | 'failed', createdAt: Date) => ({
      _id: `${id} t`,
      alert_id: id,
      kind: 'CRASH_REPORTED',
      ambulance_id: '1',
      target: 't',
      destination: 'http://x/',
      body: '{}',
      state,
      created_at: createdAt,
      next_attempt_at: createdAt,
      lease_until: new Date(0),
      attempts: 1,
    });
    await outbox.insertMany([
      stored('old-delivered', 'delivered', daysAgo(31)),
      stored('old-failed', 'failed', daysAgo(31)),
      stored('old-pending', 'pending', daysAgo(31)),
      stored('recent-delivered', 'delivered', daysAgo(29)),
    ]);
    // The app prunes once at start too, and that prune may still be at work: the two together delete both.
    assert.ok((await app.app.alerts.retention.prune()) <= 2);
    assert.deepEqual((await outbox.find({}).toArray()).map((doc) => doc.alert_id).sort(), [
      'old-pending',
      'recent-delivered',
    ]);
    assert.equal(await app.app.alerts.retention.prune(), 0, 'nothing left past the retention');
  });

  it('one claim per attempt however many instances race for it (an insert decides, on FerretDB too)', async () => {
    const app = await start({});
    const { alertOutbox, alertClaims } = app.app.models.collections;
    const now = new Date();
    const doc = {
      _id: `race-${randomUUID()} t`,
      alert_id: 'race',
      kind: 'CRASH_REPORTED',
      ambulance_id: '1',
      target: 't',
      destination: 'http://x/',
      body: '{}',
      state: 'pending' as const,
      created_at: now,
      next_attempt_at: now,
      lease_until: new Date(0),
      attempts: 0,
    };
    await alertOutbox.insertOne(doc);
    const racers = Array.from({ length: 12 }, (_, index) => new AlertClaims(alertClaims, `instance-${index}`));
    const won = await Promise.all(racers.map((claims) => claims.acquire(doc, 60_000)));
    assert.deepEqual(
      won.filter((attempt) => attempt !== null),
      [1],
      'exactly one instance holds attempt 1',
    );
    // A claim whose lease ran out (its instance died) lets the next attempt number be claimed, once.
    const expired = { ...doc, _id: `expired-${randomUUID()} t` };
    await alertOutbox.insertOne(expired);
    assert.equal(await new AlertClaims(alertClaims, 'dead').acquire(expired, 1), 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const takeover = await Promise.all(racers.map((claims) => claims.acquire(expired, 60_000)));
    assert.deepEqual(
      takeover.filter((attempt) => attempt !== null),
      [2],
    );
    // Instances that died after claiming, before recording their attempts: however many, the next one is taken.
    const abandoned = { ...doc, _id: `abandoned-${randomUUID()} t` };
    await alertOutbox.insertOne(abandoned);
    for (let attempt = 1; attempt <= 7; attempt += 1) {
      await alertClaims.insertOne({
        _id: `${abandoned._id}#${attempt}`,
        outbox_id: abandoned._id,
        attempt,
        owner: `dead-${attempt}`,
        lease_until: new Date(Date.now() - 1000),
      });
    }
    const after = await Promise.all(racers.map((claims) => claims.acquire(abandoned, 60_000)));
    assert.deepEqual(
      after.filter((attempt) => attempt !== null),
      [8],
    );
  });

  it('sends each webhook only the kinds it asked for; hospital arrivals only by default', async () => {
    const app = await start({
      ALERT_WEBHOOK_URLS: `${receiver.url}/crashes|CRASH_REPORTED ; ${receiver.url}/arrivals|PLACE_ENTERED:HOSPITAL,WENT_OFFLINE;${receiver.url}/defaults`,
    });
    receiver.answer = () => 200;
    const hospital = { id: 'p1', name: 'General', kind: 'HOSPITAL' as const };
    const station = { id: 'p2', name: 'Station 4', kind: 'STATION' as const };
    const events = {
      crash: eventOf(),
      hospital: eventOf({ kind: 'PLACE_ENTERED', place: hospital, crashId: null }),
      station: eventOf({ kind: 'PLACE_ENTERED', place: station, crashId: null }),
      offline: eventOf({ kind: 'WENT_OFFLINE', crashId: null }),
      status: eventOf({ kind: 'STATUS_CHANGED', status: 'EN_ROUTE', previousStatus: 'AVAILABLE', crashId: null }),
      speeding: eventOf({ kind: 'SPEEDING_STARTED', crashId: null }),
    };
    const { speeding, ...awaited } = events;
    const added = Object.fromEntries(
      await Promise.all(
        Object.entries(awaited).map(async ([name, event]) => [name, await app.app.alerts.outbox.enqueueEvent(event)]),
      ),
    );
    assert.deepEqual(added, { crash: 2, hospital: 2, station: 0, offline: 2, status: 0 });
    // The listener the event recorder calls: fire and forget.
    app.app.alerts.outbox.onEventRecorded(speeding);
    await waitUntil(async () => (await outboxOf(app).countDocuments({ state: 'delivered' })) === 7, {
      message: 'seven deliveries',
    });
    await settle();
    const idsOn = (path: string) => new Set(receiver.on(path).map((request) => request.headers['idempotency-key']));
    assert.deepEqual(idsOn('/crashes'), new Set([events.crash.id]));
    assert.deepEqual(idsOn('/arrivals'), new Set([events.hospital.id, events.offline.id]));
    assert.deepEqual(
      idsOn('/defaults'),
      new Set([events.crash.id, events.hospital.id, events.offline.id, events.speeding.id]),
    );
  });

  it('gives up after ALERT_MAX_ATTEMPTS, marks the alert failed and counts it', async () => {
    const app = await start({ ALERT_WEBHOOK_URLS: `${receiver.url}/never|SPEEDING_STARTED`, ALERT_MAX_ATTEMPTS: '3' });
    receiver.answer = (_index, path) => (path === '/never' ? 500 : 200);
    const event = eventOf({ kind: 'SPEEDING_STARTED', crashId: null });
    await app.app.alerts.outbox.enqueueEvent(event);
    const failed = await waitForState(app, event.id, 'failed');
    assert.equal(failed.attempts, 3);
    assert.equal(failed.last_status, 500);
    await settle();
    assert.equal(receiver.on('/never').length, 3, 'no attempt after the last');
    const samples = await scrape(app.url);
    assert.equal(sampleValue(samples, 'aoc_alerts_failed_total', { kind: 'SPEEDING_STARTED' }), 1);
    assert.equal(sampleValue(samples, 'aoc_alerts_delivered_total', { kind: 'SPEEDING_STARTED' }), 0);
    assert.equal(sampleValue(samples, 'aoc_alert_delivery_attempts_total', { outcome: 'http_error' }), 3);
    assert.equal(sampleValue(samples, 'aoc_alerts_pending'), 0);
  });
});
