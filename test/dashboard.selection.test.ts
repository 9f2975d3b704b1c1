import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type DashboardPage, fleetRow, launchBrowser, openDashboard } from './helpers/browser.js';
import { graphqlRequest } from './helpers/graphql.client.js';
import { ENDPOINTS, postFields, postImages, TINY_PNG } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp, waitForSubscribers } from './helpers/test-app.js';
import { uniqueName, waitUntil } from './helpers/test-env.js';

const POINTS_BEFORE_SELECTION = 6;
const POINTS_AFTER_SELECTION = 40;
/** Fewer than the eight the detail view shows, so every snapshot must be there. */
const SNAPSHOTS = 7;
/** How long the ambulance's subscriptions take to reach the server: the gap in which items used to be lost. */
const SUBSCRIBE_DELAY_MS = 600;

/**
 * Passes the page's graphql-ws traffic through, holding back the selected ambulance's `subscribe` messages a while:
 * a slow network or a busy server, made certain, so the detail view's first reads run before the server listens.
 */
function delayDetailSubscriptions(page: Page): void {
  void page.routeWebSocket(/\/graphql$/, (socket) => {
    const server = socket.connectToServer();
    socket.onMessage((message) => {
      const text = typeof message === 'string' ? message : message.toString();
      const forward = () => server.send(message);
      if (/"type":"subscribe"/.test(text) && /AmbulanceTracking|SnapshotUploaded/.test(text))
        setTimeout(forward, SUBSCRIBE_DELAY_MS);
      else forward();
    });
    server.onMessage((message) => socket.send(message));
  });
}

interface StoredItems {
  readonly pointIds: string[];
  readonly snapshotIds: string[];
}

async function storedItems(app: TestApp, ambulanceId: string): Promise<StoredItems> {
  const result = await graphqlRequest<{
    trackingHistory: { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean } };
    snapshots: { edges: Array<{ node: { id: string } }> };
  }>(
    app.graphqlUrl,
    `query($id: ID!) {
      trackingHistory(ambulanceId: $id, first: 500) { edges { node { id } } pageInfo { hasNextPage } }
      snapshots(ambulanceId: $id, last: 8) { edges { node { id } } }
    }`,
    { id: ambulanceId },
  );
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.ok(result.data);
  assert.equal(result.data.trackingHistory.pageInfo.hasNextPage, false);
  return {
    pointIds: result.data.trackingHistory.edges.map((edge) => edge.node.id),
    snapshotIds: result.data.snapshots.edges.map((edge) => edge.node.id),
  };
}

describe('dashboard: selecting an ambulance while it reports', () => {
  let app: TestApp;
  let browser: Browser;
  let dashboard: DashboardPage;
  const ambulanceId = `${uniqueName('race').slice(-6)}-x`;
  let posted = 0;

  async function postPoint(): Promise<void> {
    posted += 1;
    const result = await postFields(`${app.url}${ENDPOINTS.tracking}`, {
      ambulance_id: ambulanceId,
      tracking_latitude: 45.5 + posted / 10_000,
      tracking_longitude: -73.56 - posted / 10_000,
      tracking_speed: 10 + (posted % 20),
      tracking_heading: 90,
    });
    assert.equal(result.status, 200, result.text);
  }

  async function postSnapshot(): Promise<void> {
    const result = await postImages(app.url, ambulanceId, [{ field: 'camera', data: TINY_PNG }]);
    assert.equal(result.status, 200, result.text);
  }

  before(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    await postPoint();
    await app.app.trackingWriter.drained();
    dashboard = await openDashboard(browser, app.url, { watch: delayDetailSubscriptions });
    await waitForSubscribers(app, 2);
  });

  after(async () => {
    await closeAll(
      () => dashboard?.close(),
      () => browser?.close(),
      () => app?.close(),
    );
  });

  it('shows every point and snapshot stored around the selection exactly once', async () => {
    const { page } = dashboard;
    await fleetRow(page, ambulanceId).waitFor();
    // Two reporters post without pause while the dispatcher selects the ambulance, so items are stored while the
    // detail view reads and while its subscriptions are being set up on the server.
    let selected = false;
    let afterSelection = 0;
    let snapshots = 0;
    const reporter = async () => {
      while (!selected || afterSelection < POINTS_AFTER_SELECTION) {
        if (selected) afterSelection += 1;
        await postPoint();
        if (snapshots < SNAPSHOTS && posted % 4 === 0) {
          snapshots += 1;
          await postSnapshot();
        }
      }
    };
    const reporters = Promise.all([reporter(), reporter()]);
    await waitUntil(() => posted >= POINTS_BEFORE_SELECTION, { message: 'points before the selection' });
    await fleetRow(page, ambulanceId).locator('button.row-select').click();
    selected = true;
    await reporters;
    while (snapshots < SNAPSHOTS) {
      snapshots += 1;
      await postSnapshot();
    }
    await app.app.trackingWriter.drained();

    const stored = await storedItems(app, ambulanceId);
    assert.equal(stored.pointIds.length, posted, 'every posted point was stored');
    assert.equal(stored.snapshotIds.length, SNAPSHOTS);
    const detail = page.locator(`.detail[data-ambulance-id="${ambulanceId}"]`);
    await waitUntil(async () => (await detail.getAttribute('data-track-points')) === String(posted), {
      timeoutMs: 20_000,
      message: `${posted} points in the detail view`,
    });
    const shownSnapshots = () =>
      detail
        .locator('.snapshots li[data-snapshot-id]')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-snapshot-id') ?? ''));
    await waitUntil(async () => (await shownSnapshots()).length >= SNAPSHOTS, {
      timeoutMs: 20_000,
      message: `${SNAPSHOTS} snapshots in the detail view`,
    });
    assert.deepEqual((await shownSnapshots()).sort(), [...stored.snapshotIds].sort(), 'each snapshot once');
    // The fleet list follows the newest position too (the fleet-wide subscription and read have the same gap).
    const newestPoint = stored.pointIds.at(-1);
    await waitUntil(async () => (await fleetRow(page, ambulanceId).getAttribute('data-point-id')) === newestPoint, {
      message: 'the newest position in the fleet list',
    });
    assert.equal(await detail.getAttribute('data-track-points'), String(posted), 'no point shown twice');
    assert.deepEqual(dashboard.consoleErrors, []);
  });
});
