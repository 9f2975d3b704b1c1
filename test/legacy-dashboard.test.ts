import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readRepoFile } from './helpers/deployment.files.js';
import { type BodyKind, ENDPOINTS, postFields, postImages, TINY_PNG } from './helpers/http.client.js';
import { legacySocketUrl, legacyStats } from './helpers/legacy-socket.client.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { waitUntil } from './helpers/test-env.js';

interface Recording {
  readonly rooms: string[];
  readonly posts: Array<{
    endpoint: keyof typeof ENDPOINTS;
    kind: BodyKind;
    fields: Record<string, unknown>;
    images?: string[];
  }>;
  readonly received: Record<string, string[]>;
  readonly broadcasts: string[];
}

/** What the legacy peer sent for these posts (test/fixtures/legacy-peer.recording.json says how it was recorded). */
const recording = JSON.parse(readRepoFile('test/fixtures/legacy-peer.recording.json')) as Recording;
const DASHBOARD = path.resolve(import.meta.dirname, 'fixtures', 'legacy-dashboard.fixture.js');
const IMAGE_PATH =
  /^uploads\/ambulance_images\/332\/\d{4}\/\d{1,2}\/\d{1,2}\/\d{1,2}_\d{1,2}\/\d{1,2}_\d{1,2}_\d{4}\.png$/;

/** A legacy tracking body with the numbers a form post carried as strings turned into numbers (docs/legacy-socket.md). */
const withNumbers = (payload: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(payload).map(([key, value]) => [key, key.startsWith('tracking_') ? Number(value) : value]),
  );

describe('an unmodified legacy-style dashboard script', () => {
  let app: TestApp;
  let dashboard: ChildProcess;
  const lines: Array<{ room: string; data?: string; message?: string }> = [];

  before(async () => {
    // As during a cut-over: dashboards without tokens (LEGACY_SOCKET_ALLOW_ANONYMOUS), image URLs unsigned as before.
    app = await startTestApp({ env: { LEGACY_SOCKET_PORT: '0', LEGACY_SOCKET_ALLOW_ANONYMOUS: 'true' } });
    dashboard = spawn(process.execPath, [DASHBOARD, legacySocketUrl(app), ...recording.rooms], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffered = '';
    dashboard.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      for (const line of complete) lines.push(JSON.parse(line));
    });
    await waitUntil(() => legacyStats(app).rooms === recording.rooms.length, { message: 'the dashboard joined' });
  });
  after(async () => {
    dashboard.kill('SIGTERM');
    await app.close();
  });

  it('receives what the legacy server sent for a sequence of tracking, crash and snapshot posts', async () => {
    for (const post of recording.posts) {
      const result =
        post.endpoint === 'snapshot'
          ? await postImages(
              app.url,
              String(post.fields.ambulance_id),
              (post.images ?? []).map((field) => ({ field, data: TINY_PNG })),
            )
          : await postFields(`${app.url}${ENDPOINTS[post.endpoint]}`, post.fields, post.kind);
      assert.equal(result.status, 200, `${post.endpoint}: ${result.text}`);
    }
    const expectedCount = Object.values(recording.received).flat().length;
    await waitUntil(() => lines.filter((line) => 'data' in line).length >= expectedCount, {
      message: `${expectedCount} data events`,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));

    for (const room of recording.rooms) {
      const ours = lines.filter((line) => line.room === room && 'data' in line).map((line) => line.data);
      const legacy = recording.received[room] ?? [];
      assert.equal(ours.length, legacy.length, `room ${room}: as many events as the legacy server sent`);
      for (const [index, raw] of ours.entries()) {
        assert.equal(typeof raw, 'string', 'event data is a JSON string');
        const got = JSON.parse(raw as string) as Record<string, unknown>;
        const expected = JSON.parse(legacy[index] as string) as Record<string, unknown>;
        const where = `room ${room}, event ${index}`;
        if (room === 'crash' || room.startsWith('CRASH_NOTIFY_')) {
          // Ids and times are this run's; __v was mongoose's version key, not part of the crash.
          const { _id, count_datetime, __v, ...rest } = expected;
          assert.match(String(got._id), /^[0-9a-f]{24}$/, where);
          assert.ok(!Number.isNaN(Date.parse(String(got.count_datetime))), where);
          assert.deepEqual({ ...got, _id, count_datetime }, { _id, count_datetime, ...rest }, where);
        } else if (room === 'snap') {
          const images = got.imagesObj as Record<string, string>;
          assert.deepEqual(got.body, expected.body, where);
          assert.deepEqual(Object.keys(images), Object.keys(expected.imagesObj as object), where);
          for (const value of [...Object.values(images), ...Object.values(expected.imagesObj as object)])
            assert.match(String(value), IMAGE_PATH, where);
        } else {
          // Numbers are JSON numbers here; the legacy echoed a form post's strings (docs/legacy-socket.md).
          assert.deepEqual(got, withNumbers(expected), where);
        }
      }
    }
    // The one difference on purpose: no `room joined: <name>` broadcast to every client.
    assert.ok(recording.broadcasts.length > 0, 'the legacy server broadcast every join');
    assert.deepEqual(
      lines.filter((line) => 'message' in line),
      [],
    );
  });
});
