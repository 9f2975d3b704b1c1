import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Types } from 'mongoose';
import { verifySignature } from '../src/alerts/webhook.signature.js';
import type { CrashDoc } from '../src/models/crash.model.js';
import { graphqlRequest } from './helpers/graphql.client.js';
import { ENDPOINTS, postFields, trackingFields } from './helpers/http.client.js';
import { sampleValue, scrape } from './helpers/metrics.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { uniqueName, waitUntil } from './helpers/test-env.js';
import { WebhookReceiver } from './helpers/webhook.receiver.js';

const SECRET = 'escalation-secret-'.padEnd(40, 'y');
const AFTER_SECONDS = 2;

describe('crash escalation across two instances', () => {
  const receiver = new WebhookReceiver();
  let a: TestApp;
  let b: TestApp;

  before(async () => {
    await receiver.start();
    const database = uniqueName('escalation');
    const env = {
      ALERT_WEBHOOK_URLS: `${receiver.url}/escalations|CRASH_ESCALATED`,
      ALERT_WEBHOOK_SECRET: SECRET,
      ALERT_POLL_INTERVAL_MS: '30',
      CRASH_ESCALATE_AFTER_SECONDS: String(AFTER_SECONDS),
    };
    a = await startTestApp({ events: 'local', database, env });
    b = await startTestApp({ events: 'local', database, env });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await receiver.stop();
  });

  const crashes = () => a.app.models.collections.crashes;
  const requestsFor = (crashId: string) =>
    receiver.on('/escalations').filter((request) => request.headers['idempotency-key'] === `escalation:${crashId}`);

  async function postCrash(app: TestApp, ambulanceId: string): Promise<string> {
    const response = await postFields(`${app.url}${ENDPOINTS.crash}`, trackingFields(ambulanceId, 30));
    assert.equal(response.status, 200, response.text);
    const crash = await crashes().findOne({ ambulance_id: ambulanceId });
    assert.ok(crash);
    return crash._id.toHexString();
  }

  /** A crash stored directly, reported `secondsAgo` ago; returns its id. */
  async function storeCrash(ambulanceId: string, secondsAgo: number, fields: Partial<CrashDoc> = {}): Promise<string> {
    const _id = new Types.ObjectId();
    await crashes().insertOne({
      _id,
      ambulance_id: ambulanceId,
      location: { lat: 13.7, lon: 100.5 },
      speed: 10,
      heading: 0,
      count_datetime: new Date(Date.now() - secondsAgo * 1000),
      ...fields,
    });
    return _id.toHexString();
  }

  it('escalates an unacknowledged crash exactly once, and never an acknowledged or an old one', async () => {
    const open = await postCrash(a, 'esc-open');
    // acknowledgeCrash is another room's: the sweep reads only the field it sets. This crash is past its deadline
    // already, and acknowledged.
    const acknowledged = await storeCrash('esc-acked', AFTER_SECONDS + 10, {
      acknowledged_at: new Date(),
      acknowledged_by: 'dispatcher-1',
    });
    const old = await storeCrash('esc-old', 3 * 3600);

    await waitUntil(() => requestsFor(open).length > 0, { timeoutMs: 20_000, message: 'the escalation webhook' });
    // Several more sweeps of both instances, and polls, pass: still one escalation.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const requests = requestsFor(open);
    assert.equal(requests.length, 1, 'one escalation request for the crash');
    const [request] = requests;
    assert.ok(request && verifySignature(request.body, String(request.headers['x-signature']), SECRET));
    const body = JSON.parse(request.body);
    const stored = await crashes().findOne({ _id: new Types.ObjectId(open) });
    assert.ok(stored?.escalated_at instanceof Date, 'escalated_at is set on the crash');
    assert.equal(body.kind, 'CRASH_ESCALATED');
    assert.equal(body.id, `escalation:${open}`);
    assert.equal(body.crashId, open);
    assert.equal(body.ambulanceId, 'esc-open');
    assert.equal(body.crash.id, open);
    assert.equal(body.crash.reportedAt, stored.count_datetime.toISOString());
    assert.ok(Date.parse(body.at) - stored.count_datetime.getTime() >= AFTER_SECONDS * 1000, 'not before the deadline');
    assert.equal(await a.app.models.collections.alertOutbox.countDocuments({ alert_id: `escalation:${open}` }), 1);

    assert.equal(requestsFor(acknowledged).length, 0, 'an acknowledged crash is not escalated');
    assert.equal(requestsFor(old).length, 0, 'a crash older than the lookback is not escalated');
    const untouched = await crashes()
      .find({ _id: { $in: [acknowledged, old].map((id) => new Types.ObjectId(id)) } })
      .toArray();
    assert.deepEqual(
      untouched.map((crash) => crash.escalated_at),
      [undefined, undefined],
    );

    const response = await graphqlRequest<{
      crashes: { edges: Array<{ node: { id: string; escalatedAt: string | null } }> };
    }>(b.graphqlUrl, 'query($id: ID!) { crashes(ambulanceId: $id, first: 5) { edges { node { id escalatedAt } } } }', {
      id: 'esc-open',
    });
    assert.deepEqual(response.data?.crashes.edges, [
      { node: { id: open, escalatedAt: stored.escalated_at.toISOString() } },
    ]);
    const acknowledgedNode = await graphqlRequest<{
      crashes: { edges: Array<{ node: { escalatedAt: string | null } }> };
    }>(a.graphqlUrl, 'query($id: ID!) { crashes(ambulanceId: $id, first: 5) { edges { node { escalatedAt } } } }', {
      id: 'esc-acked',
    });
    assert.deepEqual(acknowledgedNode.data?.crashes.edges, [{ node: { escalatedAt: null } }]);

    const escalations = async (app: TestApp) => sampleValue(await scrape(app.url), 'aoc_crash_escalations_total') ?? 0;
    assert.ok((await escalations(a)) + (await escalations(b)) >= 1);
  });

  it('sweeps racing on both instances at once still make one alert per crash', async () => {
    const racing = await Promise.all([0, 1, 2].map((index) => storeCrash(`esc-race-${index}`, AFTER_SECONDS + 5)));
    const sweeps = [a, b, a, b, a, b].map((app) => app.app.alerts.escalation?.sweep());
    await Promise.all(sweeps);
    for (const id of racing) {
      await waitUntil(() => requestsFor(id).length > 0, { message: `escalation of ${id}` });
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const id of racing) assert.equal(requestsFor(id).length, 1, `one request for ${id}`);
  });
});

describe('crash escalation with a window full of escalated, unacknowledged crashes', () => {
  let app: TestApp;

  before(async () => {
    // No webhook: crashes are still marked escalated, and nothing is sent for the 500 below.
    app = await startTestApp({ events: 'local', env: { CRASH_ESCALATE_AFTER_SECONDS: String(AFTER_SECONDS) } });
  });
  after(() => app?.close());

  it('still escalates a new crash (a burst of false alarms nobody acknowledged must not hide it)', async () => {
    const crashes = app.app.models.collections.crashes;
    const base = { location: { lat: 13.7, lon: 100.5 }, speed: 10, heading: 0 };
    const alarms = Array.from({ length: 500 }, (_, index) => ({
      ...base,
      _id: new Types.ObjectId(),
      ambulance_id: `esc-alarm-${index}`,
      count_datetime: new Date(Date.now() - 20 * 60_000),
      escalated_at: new Date(Date.now() - 18 * 60_000),
    }));
    await crashes.insertMany(alarms);
    const fresh = new Types.ObjectId();
    await crashes.insertOne({
      ...base,
      _id: fresh,
      ambulance_id: 'esc-new',
      count_datetime: new Date(Date.now() - (AFTER_SECONDS + 5) * 1000),
    });
    const escalation = app.app.alerts.escalation;
    assert.ok(escalation);
    await escalation.sweep();
    const stored = await crashes.findOne({ _id: fresh });
    assert.ok(stored?.escalated_at, 'the new crash is escalated');
    assert.equal(await crashes.countDocuments({ ambulance_id: /^esc-alarm-/, escalated_at: { $exists: true } }), 500);
  });
});
