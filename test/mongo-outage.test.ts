import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type FerretdbHandle, startFerretdb } from '../src/infra/ferretdb.process.js';
import { findFreePort } from '../src/infra/free-port.js';
import { graphqlRequest } from './helpers/graphql.client.js';
import {
  ENDPOINTS,
  getUrl,
  type HttpResult,
  postFields,
  postImages,
  TINY_PNG,
  trackingFields,
} from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { testEnv, uniqueName, waitUntil } from './helpers/test-env.js';

const TRACKING_HISTORY = 'query($id: ID!) { trackingHistory(ambulanceId: $id) { edges { node { id speed } } } }';

function assertStorageUnavailable(result: HttpResult, label: string): void {
  const context = `${label} -> ${result.status} ${result.text}`;
  assert.equal(result.status, 503, context);
  assert.equal(result.headers.get('retry-after'), '5', context);
  assert.match(result.headers.get('content-type') ?? '', /application\/json/, context);
  const body = result.body as Record<string, unknown>;
  assert.equal(body.code, 'STORAGE_UNAVAILABLE', context);
  assert.equal(body.success, false, context);
}

async function filesUnder(directory: string): Promise<string[]> {
  try {
    const entries = await readdir(directory, { recursive: true, withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

describe('MongoDB (FerretDB) outage', () => {
  let dataDir: string | undefined;
  let port = 0;
  let ferretdb: FerretdbHandle | undefined;
  let app: TestApp | undefined;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  before(async () => {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'aoc-mongo-outage-'));
    port = await findFreePort();
    ferretdb = await startFerretdb({ binary: testEnv.ferretdbBin, dataDir, port });
    app = await startTestApp({
      mongoUri: ferretdb.uri,
      events: 'local',
      env: { MONGODB_SERVER_SELECTION_TIMEOUT_MS: '500' },
    });
  });

  after(async () => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    await closeAll(
      () => app?.close(),
      () => ferretdb?.stop(),
      () => (dataDir ? rm(dataDir, { recursive: true, force: true }) : undefined),
    );
  });

  it('refuses writes with 503 while the database is down and accepts them again once it is back', async () => {
    assert.ok(app && ferretdb && dataDir);
    const running = app;
    const ambulance = uniqueName('mongo');
    const trackingUrl = `${running.url}${ENDPOINTS.tracking}`;
    const crashUrl = `${running.url}${ENDPOINTS.crash}`;

    const first = await postFields(trackingUrl, trackingFields(ambulance, 42));
    assert.equal(first.status, 200, first.text);
    const before = await graphqlRequest<{ trackingHistory: { edges: Array<{ node: { id: string; speed: number } }> } }>(
      running.graphqlUrl,
      TRACKING_HISTORY,
      { id: ambulance },
    );
    const storedBefore = before.data?.trackingHistory.edges.map((edge) => edge.node);
    assert.equal(storedBefore?.length, 1);
    assert.equal(storedBefore?.[0]?.speed, 42);

    await ferretdb.stop();
    const filesBefore = await filesUnder(running.uploadDir);

    // Several rounds: the first requests after the stop and later ones (server selection timing out) alike.
    for (let round = 0; round < 3; round += 1) {
      assertStorageUnavailable(
        await postFields(trackingUrl, trackingFields(ambulance, 55)),
        `tracking, round ${round}`,
      );
      assertStorageUnavailable(
        await postFields(crashUrl, trackingFields(`${ambulance}_c${round}`, 5), 'form'),
        `crash, round ${round}`,
      );
      assertStorageUnavailable(
        await postImages(running.url, ambulance, [{ field: 'image', data: TINY_PNG }]),
        `snapshot, round ${round}`,
      );
    }
    // A refused upload leaves no image file behind.
    assert.deepEqual(await filesUnder(running.uploadDir), filesBefore);

    // Input errors are still input errors, not storage errors.
    const invalid = await postFields(trackingUrl, { ambulance_id: ambulance });
    assert.equal(invalid.status, 400, invalid.text);

    for (const query of [
      TRACKING_HISTORY,
      'query($id: ID) { crashes(ambulanceId: $id) { edges { node { id } } } }',
      'query($id: ID!) { snapshots(ambulanceId: $id) { edges { node { id } } } }',
      'query($id: ID!) { ambulance(id: $id) { id } }',
    ]) {
      const response = await graphqlRequest(running.graphqlUrl, query, { id: ambulance });
      assert.ok(response.errors?.length, `${query}: ${JSON.stringify(response)}`);
      assert.deepEqual(
        response.errors.map((error) => error.extensions?.code),
        ['STORAGE_UNAVAILABLE'],
        `${query}: ${JSON.stringify(response.errors)}`,
      );
      assert.doesNotMatch(JSON.stringify(response), /Mongo|ECONNREFUSED|127\.0\.0\.1/, 'no driver details leak');
    }

    // The server itself keeps running and answering.
    const home = await getUrl(running.url);
    assert.equal(home.status, 200);
    assert.match(home.text, /AOC-V\.2 Tracking Server On/);

    // Back on the same port and data: the app reconnects by itself.
    ferretdb = await startFerretdb({ binary: testEnv.ferretdbBin, dataDir, port });
    const recovered = await waitUntil(
      async () => {
        const response = await postFields(trackingUrl, trackingFields(ambulance, 66));
        if (response.status === 200) return response;
        assertStorageUnavailable(response, 'tracking while reconnecting');
        return null;
      },
      { timeoutMs: 30_000, intervalMs: 200, message: 'tracking POSTs to be accepted again' },
    );
    assert.deepEqual(recovered.body, { success: true });

    const crash = await postFields(crashUrl, trackingFields(`${ambulance}_crash`, 5));
    assert.equal(crash.status, 200, crash.text);
    const snapshot = await postImages(running.url, ambulance, [{ field: 'image', data: TINY_PNG }]);
    assert.equal(snapshot.status, 200, snapshot.text);

    const afterwards = await graphqlRequest<{
      trackingHistory: { edges: Array<{ node: { id: string; speed: number } }> };
    }>(running.graphqlUrl, TRACKING_HISTORY, { id: ambulance });
    assert.equal(afterwards.errors, undefined, JSON.stringify(afterwards.errors));
    const storedAfter = afterwards.data?.trackingHistory.edges.map((edge) => edge.node) ?? [];
    // The earlier point survived; refused points were never stored; the point after recovery was.
    assert.deepEqual(storedAfter[0], storedBefore?.[0]);
    assert.deepEqual(
      storedAfter.map((point) => point.speed),
      [42, 66],
    );
    assert.deepEqual(uncaught, [], 'no uncaught errors in the server process');
  });
});
