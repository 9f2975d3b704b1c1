import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  type DashboardPage,
  drawnMarker,
  fleetRow,
  launchBrowser,
  openDashboard,
  recordOperations,
} from './helpers/browser.js';
import { ENDPOINTS, postFields, postImages, TINY_JPEG } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp, waitForSubscribers } from './helpers/test-app.js';
import { uniqueName } from './helpers/test-env.js';

/** How late the dashboard's settings arrive (see the `watch` below). */
const SLOW_SETTINGS_MS = 3000;

async function postPoint(app: TestApp, ambulanceId: string, latitude: number, speed: number) {
  const result = await postFields(`${app.url}${ENDPOINTS.tracking}`, {
    ambulance_id: ambulanceId,
    tracking_latitude: latitude,
    tracking_longitude: -73.6,
    tracking_speed: speed,
    tracking_heading: 0,
  });
  assert.equal(result.status, 200, result.text);
}

/**
 * The server the dashboard talks to goes away (its WebSocket connections closed, its port refusing) while devices
 * keep posting through another instance on the same database and Redis; it then comes back on the same port. The
 * dashboard must reconnect by itself and show everything it missed, without a reload: every subscription resumes
 * after the last item it received, so the server delivers what was stored meanwhile, and no history is re-read.
 */
describe('dashboard: reconnection after the server restarts', () => {
  const shared = { database: uniqueName('db'), channelPrefix: `${uniqueName('t')}:` };
  let uploadDir: string;
  let served: TestApp | undefined;
  let other: TestApp;
  let browser: Browser;
  let dashboard: DashboardPage;
  const followed = 'rc-1';
  const crashing = 'rc-2';
  const newcomer = 'rc-9';

  before(async () => {
    other = await startTestApp(shared);
    uploadDir = other.uploadDir;
    served = await startTestApp({ ...shared, uploadDir });
    browser = await launchBrowser();
    await postPoint(served, followed, 45.5, 40);
    await postPoint(served, followed, 45.501, 45);
    await postPoint(served, crashing, 45.52, 60);
    const seen = await postImages(served.url, followed, [{ field: 'img', data: TINY_JPEG, type: 'image/jpeg' }]);
    assert.equal(seen.status, 200, seen.text);
    await served.app.trackingWriter.drained();
    dashboard = await openDashboard(browser, served.url, {
      // While the server is down, Chromium reports each refused connection attempt on the console.
      allowConsoleErrors: [/WebSocket connection to .* failed/, /Failed to load resource: net::ERR_CONNECTION_REFUSED/],
      // The settings (and the server time in them) arrive late, as over a slow network: the page's corrected clock
      // is then behind by about half of that, and what it counts as caught up must not depend on it.
      watch: (page) =>
        page.route('**/dashboard/config.json', async (route) => {
          const response = await route.fetch();
          await new Promise((resolve) => setTimeout(resolve, SLOW_SETTINGS_MS));
          await route.fulfill({ response });
        }),
    });
    await fleetRow(dashboard.page, followed).locator('button.row-select').click();
    await dashboard.page.locator('.detail[data-track-loaded="true"][data-track-points="2"]').waitFor();
    await dashboard.page.locator('.snapshots[data-snapshot-count="1"]').waitFor();
    await waitForSubscribers(served, 4);
  });

  after(async () => {
    await closeAll(
      () => dashboard?.close(),
      () => browser?.close(),
      () => served?.close(),
      () => other?.close(),
    );
  });

  it('shows the outage, then reconnects and fills in the points, crash, snapshot and ambulance it missed', async () => {
    const { page } = dashboard;
    assert.ok(served);
    const port = served.app.port;
    await page.locator('.sound-toggle').click();
    assert.equal(await page.locator('.sound-toggle').getAttribute('aria-pressed'), 'true');
    await served.close();
    served = undefined;
    await page.locator('.connection[data-connection-state="reconnecting"]').waitFor();
    assert.match(await page.locator('.connection').innerText(), /RECONNECTING|OFFLINE/);
    // Seen and heard: a bar nobody can miss, and a beep with sound on.
    const lost = page.locator('.connection-lost[role="alert"]');
    await lost.waitFor();
    assert.match(await lost.innerText(), /CONNECTION LOST at \d\d:\d\d:\d\d/);
    await page.locator('.sound-toggle[data-beeps="1"]').waitFor();
    await dashboard.screenshot('dashboard-reconnecting');

    // Meanwhile devices go on posting through the other instance.
    await postPoint(other, followed, 45.502, 85);
    await postPoint(other, followed, 45.503, 125);
    await postPoint(other, followed, 45.504, 131);
    await postPoint(other, newcomer, 45.55, 20);
    const crash = await postFields(`${other.url}${ENDPOINTS.crash}`, {
      ambulance_id: crashing,
      tracking_latitude: 45.521,
      tracking_longitude: -73.6,
      tracking_speed: 10,
      tracking_heading: 0,
    });
    assert.equal(crash.status, 200, crash.text);
    const upload = await postImages(other.url, followed, [
      { field: 'img', data: TINY_JPEG, type: 'image/jpeg', name: 'a.jpg' },
    ]);
    assert.equal(upload.status, 200, upload.text);
    await other.app.trackingWriter.drained();
    assert.equal(await page.locator('.alert').count(), 0, 'nothing reached the dashboard during the outage');

    const historyReads = ['LatestSnapshots', 'TrackingHistory', 'Crashes'].map((name) => recordOperations(page, name));
    served = await startTestApp({ ...shared, uploadDir, env: { PORT: String(port) } });
    await page
      .locator('.connection[data-connection-state="connected"][data-reconnections="1"]')
      .waitFor({ timeout: 30_000 });

    await page.locator('.detail[data-track-points="5"]').waitFor();
    await page.locator(`tr.fleet-row[data-ambulance-id="${followed}"][data-state="RED"]`).waitFor();
    assert.match(await fleetRow(page, followed).locator('td.speed').innerText(), /131 km\/h/);
    const followedMarker = await drawnMarker(page, followed, (marker) => marker.state === 'RED', 'the RED marker');
    assert.equal(followedMarker.latitude, 45.504);
    await fleetRow(page, newcomer).waitFor();
    await drawnMarker(page, newcomer);
    const alert = page.locator(`.alert[data-ambulance-id="${crashing}"]`);
    await alert.waitFor();
    assert.match(await alert.innerText(), /36 km\/h/);
    // The crash read on catching up beeps too; the connection-lost bar is gone.
    await page.locator('.sound-toggle[data-beeps="2"]').waitFor();
    assert.equal(await page.locator('.connection-lost').count(), 0);
    await page.locator('.snapshots[data-snapshot-count="2"]').waitFor();
    // All of it came through the resumed subscriptions: three points, the newcomer's point, the crash and the
    // snapshot, each counted once (the followed ambulance's points come through its own and the fleet stream).
    await page.locator('.connection[data-caught-up="6"]').waitFor();
    assert.match(await page.locator('.connection').innerText(), /6 items caught up/);
    for (const reads of historyReads) {
      reads.stop();
      assert.deepEqual(reads.sent, [], 'no history was re-read to catch up');
    }
    assert.match(await page.locator('.connection').innerText(), /LIVE/);

    // And it is live again: the next point arrives through the re-established subscriptions.
    await waitForSubscribers(served, 4);
    await postPoint(served, followed, 45.505, 50);
    await page.locator('.detail[data-track-points="6"]').waitFor();
    await page.locator(`tr.fleet-row[data-ambulance-id="${followed}"][data-state="GREEN"]`).waitFor();
    await dashboard.screenshot('dashboard-reconnected');
  });

  it('logged no console errors besides the refused connections during the outage', () => {
    assert.deepEqual(dashboard.consoleErrors, []);
  });
});
