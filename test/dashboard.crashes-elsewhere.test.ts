import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { type DashboardPage, fleetRow, launchBrowser, openDashboard } from './helpers/browser.js';
import { askOk } from './helpers/dispatch.helpers.js';
import { ENDPOINTS, postFields } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp, waitForSubscribers } from './helpers/test-app.js';
import { uniqueName, waitUntil } from './helpers/test-env.js';

const ACKNOWLEDGE = 'mutation($id: ID!) { acknowledgeCrash(id: $id) { acknowledgedAt } }';
const CRASHES = 'query($id: ID) { crashes(ambulanceId: $id, first: 100) { edges { node { id } } } }';

async function postCrash(app: TestApp, ambulanceId: string): Promise<void> {
  const result = await postFields(`${app.url}${ENDPOINTS.crash}`, {
    ambulance_id: ambulanceId,
    tracking_latitude: 45.53,
    tracking_longitude: -73.61,
    tracking_speed: 8,
    tracking_heading: 0,
  });
  assert.equal(result.status, 200, result.text);
}

/** Acknowledges an ambulance's last crash, as a dispatcher on another dashboard does. */
async function acknowledgeLastCrash(app: TestApp, ambulanceId: string): Promise<void> {
  type Crashes = { crashes: { edges: Array<{ node: { id: string } }> } };
  const edge = (await askOk<Crashes>(app, CRASHES, { id: ambulanceId })).crashes.edges.at(-1);
  assert.ok(edge, `a crash of ${ambulanceId}`);
  await askOk(app, ACKNOWLEDGE, { id: edge.node.id });
}

/**
 * Crash alerts are shared: a crash one dispatcher takes comes down on every dashboard. This one must hold across an
 * outage of the dashboard's server (another instance on the same database and Redis goes on serving the other
 * dispatchers), and a unit first heard of by its crash is listed at once.
 */
describe('dashboard: crashes reported and taken while it was away', () => {
  const shared = { database: uniqueName('db'), channelPrefix: `${uniqueName('t')}:` };
  let served: TestApp | undefined;
  let other: TestApp;
  let browser: Browser;
  let dashboard: DashboardPage;
  const moving = uniqueName('ce-move');
  const silent = uniqueName('ce-silent');
  const firstHeard = uniqueName('ce-new');

  before(async () => {
    other = await startTestApp(shared);
    served = await startTestApp({ ...shared, uploadDir: other.uploadDir });
    const point = await postFields(`${served.url}${ENDPOINTS.tracking}`, {
      ambulance_id: moving,
      tracking_latitude: 45.5,
      tracking_longitude: -73.6,
      tracking_speed: 40,
      tracking_heading: 0,
    });
    assert.equal(point.status, 200, point.text);
    await served.app.trackingWriter.drained();
    browser = await launchBrowser();
    dashboard = await openDashboard(browser, served.url, {
      allowConsoleErrors: [/WebSocket connection to .* failed/, /Failed to load resource: net::ERR_CONNECTION_REFUSED/],
    });
    await fleetRow(dashboard.page, moving).waitFor();
    await waitForSubscribers(served, 3);
  });

  after(async () => {
    await closeAll(
      () => dashboard?.close(),
      () => browser?.close(),
      () => served?.close(),
      () => other?.close(),
    );
  });

  it('lists a unit whose first report is a crash at once, beside its alert', async () => {
    assert.ok(served);
    const { page } = dashboard;
    await postCrash(served, firstHeard);
    await page.locator(`.alert[data-ambulance-id="${firstHeard}"]`).waitFor();
    // No position yet: the unit is listed (as a read of the fleet lists it) without waiting for another read.
    await fleetRow(page, firstHeard).waitFor({ timeout: 2_000 });
    assert.equal(await fleetRow(page, firstHeard).getAttribute('data-status'), 'crash');
  });

  it('takes down alerts acknowledged elsewhere during an outage, and raises none for crashes already taken', async () => {
    assert.ok(served);
    const { page } = dashboard;
    await page.locator('.sound-toggle').click();
    await postCrash(served, moving);
    await page.locator(`.alert[data-ambulance-id="${moving}"]`).waitFor();
    await page.locator('.sound-toggle[data-beeps="1"]').waitFor();

    const port = served.app.port;
    await served.close();
    served = undefined;
    await page.locator('.connection[data-connection-state="reconnecting"]').waitFor();
    await page.locator('.sound-toggle[data-beeps="2"]').waitFor(); // the connection lost

    // Meanwhile, on another dashboard: the crash shown here is taken, and another crash comes in and is taken too.
    await acknowledgeLastCrash(other, moving);
    await postCrash(other, silent);
    await acknowledgeLastCrash(other, silent);
    const acknowledgements = page.locator('.event-log li[data-kind="CRASH_ACKNOWLEDGED"]');
    const acknowledgedBefore = await acknowledgements.count();

    served = await startTestApp({ ...shared, uploadDir: other.uploadDir, env: { PORT: String(port) } });
    await page
      .locator('.connection[data-connection-state="connected"][data-reconnections="1"]')
      .waitFor({ timeout: 30_000 });
    // The crash stored during the outage has come through the resumed subscription, and the event log was read.
    await page.locator('.connection[data-caught-up="1"]').waitFor();
    await waitUntil(async () => (await acknowledgements.count()) >= acknowledgedBefore + 2, {
      message: 'both acknowledgements in the event log',
    });
    await page.locator(`.alert[data-ambulance-id="${moving}"]`).waitFor({ state: 'detached' });
    assert.equal(await page.locator(`.alert[data-ambulance-id="${silent}"]`).count(), 0, 'taken before it got here');
    assert.equal(await page.locator('.sound-toggle').getAttribute('data-beeps'), '2', 'no beep for a crash taken');
  });

  it('logged no console errors besides the refused connections during the outage', () => {
    assert.deepEqual(dashboard.consoleErrors, []);
  });
});
