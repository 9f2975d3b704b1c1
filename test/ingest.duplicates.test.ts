import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { graphqlRequest } from './helpers/graphql.client.js';
import { ENDPOINTS, postFields, trackingFields } from './helpers/http.client.js';
import { assertRefused, storedState } from './helpers/ingest.helpers.js';
import { sampleValue, scrape } from './helpers/metrics.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { uniqueName } from './helpers/test-env.js';

const SUCCESS = { success: true };
const DUPLICATE = { success: true, duplicate: true };

/** A device time a few minutes ago, to the millisecond, as ISO-8601 and as epoch milliseconds. */
function recentTime(minutesAgo: number): { iso: string; ms: number } {
  const ms = Date.now() - minutesAgo * 60_000;
  return { iso: new Date(ms).toISOString(), ms };
}

describe('duplicate tracking points (same ambulance, same device time)', () => {
  let app: TestApp;
  let second: TestApp;
  before(async () => {
    app = await startTestApp({ events: 'local' });
    second = await startTestApp({ events: 'local', database: app.database });
  });
  after(async () => {
    await app.close();
    await second.close();
  });

  // A device retrying sends the same reading again: a fixed position (a different one is another report).
  const reading = { tracking_latitude: 45.5, tracking_longitude: -73.6 };
  const track = (target: TestApp, id: string, extra: Record<string, unknown>, kind: 'json' | 'form' = 'json') =>
    postFields(`${target.url}${ENDPOINTS.tracking}`, trackingFields(id, 50, { ...reading, ...extra }), kind);
  const countOf = (id: string) => app.app.models.collections.trackings.countDocuments({ ambulance_id: id });

  it('stores a repeated point once and answers the repeat {"success":true,"duplicate":true}, in any time format', async () => {
    const id = uniqueName('dup');
    const time = recentTime(3);
    assert.deepEqual((await track(app, id, { tracking_timestamp: time.iso })).body, SUCCESS);
    assert.deepEqual((await track(app, id, { tracking_timestamp: time.iso })).body, DUPLICATE);
    assert.deepEqual((await track(app, id, { timestamp: time.ms }, 'form')).body, DUPLICATE);
    assert.deepEqual((await track(app, id, { timestamp: time.ms / 1000 })).body, DUPLICATE);
    assert.equal(await countOf(id), 1);

    // One millisecond later, another ambulance at the same time, and points without a time: all stored.
    assert.deepEqual((await track(app, id, { tracking_timestamp: time.ms + 1 })).body, SUCCESS);
    assert.deepEqual((await track(app, uniqueName('other'), { tracking_timestamp: time.iso })).body, SUCCESS);
    assert.deepEqual((await track(app, id, {})).body, SUCCESS);
    assert.deepEqual((await track(app, id, {})).body, SUCCESS);
    assert.equal(await countOf(id), 4);
  });

  it('keeps recordedAt as the time the server received the point and shows the device time beside it', async () => {
    const id = uniqueName('time');
    const time = recentTime(30);
    await track(app, id, { tracking_timestamp: time.iso });
    const response = await graphqlRequest<{
      trackingHistory: { edges: Array<{ node: { recordedAt: string; deviceTime: string | null } }> };
    }>(
      app.graphqlUrl,
      'query($id: ID!) { trackingHistory(ambulanceId: $id) { edges { node { recordedAt deviceTime } } } }',
      {
        id,
      },
    );
    const [point] = response.data?.trackingHistory.edges ?? [];
    assert.equal(point?.node.deviceTime, time.iso);
    assert.ok(Date.parse(point?.node.recordedAt ?? '') > time.ms + 29 * 60_000, JSON.stringify(point));
  });

  it('stores a point sent many times at once exactly once', async () => {
    const id = uniqueName('burst');
    const time = recentTime(1);
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => track(app, id, { tracking_timestamp: time.iso })),
    );
    assert.ok(answers.every((answer) => answer.status === 200));
    assert.equal(answers.filter((answer) => (answer.body as { duplicate?: boolean }).duplicate !== true).length, 1);
    assert.equal(await countOf(id), 1);
  });

  it('holds across instances sharing the database, and across a restart', async () => {
    const id = uniqueName('multi');
    const time = recentTime(2);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, index) => track(index % 2 === 0 ? app : second, id, { timestamp: time.iso })),
    );
    assert.equal(answers.filter((answer) => (answer.body as { duplicate?: boolean }).duplicate !== true).length, 1);
    const restarted = await startTestApp({ events: 'local', database: app.database });
    try {
      assert.deepEqual((await track(restarted, id, { timestamp: time.iso })).body, DUPLICATE);
    } finally {
      await restarted.close();
    }
    assert.equal(await countOf(id), 1);
  });

  it('refuses unreadable device times with 400, storing nothing', async () => {
    const before = await storedState(app);
    for (const [field, value] of [
      ['tracking_timestamp', 'yesterday'],
      ['tracking_timestamp', '2024-05-01 10:00:00'],
      ['timestamp', { $gt: 0 }],
      ['timestamp', '2024-02-30T10:00:00Z'],
    ] as const) {
      const result = await track(app, uniqueName('bad'), { [field]: value });
      assertRefused(result, { status: 400, code: 'INVALID_FIELD', field }, `${field}=${JSON.stringify(value)}`);
    }
    assert.deepEqual(await storedState(app), before);
  });

  it('stores a point whose device time is out of bounds without it (no duplicate check), and counts it', async () => {
    const id = uniqueName('clock');
    const tooOld = Date.now() - (7 * 24 + 1) * 3_600_000;
    const ahead = Date.now() + 10 * 60_000;
    const counted = async () => {
      const samples = await scrape(app.url);
      return ['ahead', 'too_old'].map(
        (reason) => sampleValue(samples, 'aoc_ingest_device_time_ignored_total', { reason }) ?? Number.NaN,
      );
    };
    const [aheadBefore, oldBefore] = await counted();
    for (const [field, value] of [
      ['timestamp', ahead],
      ['tracking_timestamp', new Date(ahead).toISOString()],
      ['timestamp', tooOld],
      ['timestamp', tooOld],
    ] as const) {
      const result = await track(app, id, { [field]: value });
      assert.deepEqual(result.body, SUCCESS, `${field}=${value}`);
    }
    await app.app.trackingWriter.drained();
    const stored = await app.app.models.collections.trackings.find({ ambulance_id: id }).toArray();
    assert.equal(stored.length, 4, 'the same out-of-bounds time twice is stored twice: it identifies nothing');
    assert.ok(stored.every((doc) => doc.device_timestamp === undefined));
    assert.deepEqual(await counted(), [(aheadBefore as number) + 2, (oldBefore as number) + 2]);
  });
});
