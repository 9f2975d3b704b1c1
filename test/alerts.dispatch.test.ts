import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Types } from 'mongoose';
import { verifySignature } from '../src/alerts/webhook.signature.js';
import { blankEvent, docOfEvent } from '../src/dispatch/ambulance-event.recorder.js';
import { ENDPOINTS, postFields, trackingFields } from './helpers/http.client.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { uniqueName, waitUntil } from './helpers/test-env.js';
import { WebhookReceiver } from './helpers/webhook.receiver.js';

const SECRET = 'dispatch-alert-secret-'.padEnd(40, 'x');

interface AlertBody {
  readonly kind: string;
  readonly ambulanceId: string;
}

describe('dispatch events sent out as alerts (event log → outbox → webhook)', () => {
  const receiver = new WebhookReceiver();
  let app: TestApp;

  before(async () => {
    await receiver.start();
    app = await startTestApp({
      env: {
        ALERT_WEBHOOK_URLS: `${receiver.url}/hook`,
        ALERT_WEBHOOK_SECRET: SECRET,
        ALERT_POLL_INTERVAL_MS: '50',
        CRASH_ESCALATE_AFTER_SECONDS: '0',
      },
    });
  });
  after(async () => {
    await app.close();
    await receiver.stop();
  });

  const alertsOf = (ambulanceId: string) =>
    receiver
      .on('/hook')
      .map((request) => ({ request, body: JSON.parse(request.body) as AlertBody }))
      .filter(({ body }) => body.ambulanceId === ambulanceId);

  it('sends a crash and the start of a speeding episode, signed, once each', async () => {
    const unit = uniqueName('alert');
    const crash = { ...trackingFields(unit, 20), tracking_latitude: 13.7, tracking_longitude: 100.4 };
    assert.equal((await postFields(`${app.url}${ENDPOINTS.crash}`, crash)).status, 200);
    assert.equal((await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields(unit, 130))).status, 200);
    assert.equal((await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields(unit, 135))).status, 200);
    await waitUntil(() => alertsOf(unit).length >= 2, { message: 'two alerts', timeoutMs: 20_000 });
    // A later poll would show any second delivery of either.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const alerts = alertsOf(unit);
    assert.deepEqual(alerts.map(({ body }) => body.kind).sort(), ['CRASH_REPORTED', 'SPEEDING_STARTED']);
    for (const { request } of alerts) {
      assert.equal(verifySignature(request.body, String(request.headers['x-signature']), SECRET), true);
      assert.ok(request.headers['idempotency-key']);
    }
  });
  it('sends a crash alert at the crash’s repeat when its enqueue was lost after the event was stored', async () => {
    // The instance that stored the CRASH_REPORTED event died before its alert reached the outbox: the event is in
    // the log, the outbox has nothing. The device, never answered, sends the crash again, and it is recorded again.
    const unit = uniqueName('alert-lost');
    const event = blankEvent({
      id: new Types.ObjectId().toHexString(),
      ambulanceId: unit,
      kind: 'CRASH_REPORTED',
      at: new Date(),
      crashId: new Types.ObjectId().toHexString(),
    });
    await app.app.models.collections.ambulanceEvents.insertOne(docOfEvent(event));
    assert.equal(await app.app.dispatch.recorder.record(event), false, 'a repeat of a stored event');
    await waitUntil(() => alertsOf(unit).length === 1, { message: 'the crash alert', timeoutMs: 20_000 });
    assert.equal(alertsOf(unit)[0]?.body.kind, 'CRASH_REPORTED');
    // Recorded once more, it adds nothing: the outbox's id is the event's.
    assert.equal(await app.app.dispatch.recorder.record(event), false);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(alertsOf(unit).length, 1);
  });
});
