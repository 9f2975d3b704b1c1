import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  type DashboardPage,
  drawnMarker,
  fleetRow,
  launchBrowser,
  openDashboard,
  paintedMarker,
  recordOperations,
  waitForLoadedImage,
} from './helpers/browser.js';
import { graphqlRequest } from './helpers/graphql.client.js';
import { ENDPOINTS, getUrl, postFields, postImages, TINY_PNG } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp, waitForSubscribers } from './helpers/test-app.js';
import { uniqueName, waitUntil } from './helpers/test-env.js';

/** A few ambulances around Montréal, each in another state. */
const FLEET = [
  { suffix: 'a', latitude: 45.5017, longitude: -73.5673, speed: 42, heading: 90 },
  { suffix: 'b', latitude: 45.5231, longitude: -73.5817, speed: 96, heading: 180 },
  { suffix: 'c', latitude: 45.4862, longitude: -73.6104, speed: 131, heading: 270 },
];

async function postPoint(app: TestApp, ambulanceId: string, latitude: number, longitude: number, speed: number) {
  const result = await postFields(`${app.url}${ENDPOINTS.tracking}`, {
    ambulance_id: ambulanceId,
    tracking_latitude: latitude,
    tracking_longitude: longitude,
    tracking_speed: speed,
    tracking_heading: 45,
  });
  assert.equal(result.status, 200, result.text);
}

describe('dashboard: live fleet view in a real browser', () => {
  let app: TestApp;
  let browser: Browser;
  let dashboard: DashboardPage;
  const prefix = uniqueName('amb').slice(-6);
  const id = (suffix: string) => `${prefix}-${suffix}`;

  before(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    for (const ambulance of FLEET) {
      await postPoint(app, id(ambulance.suffix), ambulance.latitude, ambulance.longitude, ambulance.speed);
    }
    await app.app.trackingWriter.drained();
    dashboard = await openDashboard(browser, app.url);
    // The fleet-wide tracking and crash subscriptions are live before anything else is posted.
    await waitForSubscribers(app, 2);
  });

  after(async () => {
    await closeAll(
      () => dashboard?.close(),
      () => browser?.close(),
      () => app?.close(),
    );
  });

  it('is served at /dashboard, with its settings', async () => {
    const redirect = await fetch(`${app.url}/dashboard`, { redirect: 'manual' });
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get('location'), '/dashboard/');
    const settings = await getUrl(`${app.url}/dashboard/config.json`);
    assert.equal(settings.status, 200);
    assert.equal((settings.body as { staleAfterSeconds: number }).staleAfterSeconds, 60);
    // Open mode (no JWT_SECRET or JWT_JWKS_URL): there is nothing to sign in to, so no sign-in button.
    assert.equal((settings.body as { signInRequired: boolean }).signInRequired, false);
    const { page } = dashboard;
    assert.equal(await page.locator('.app[data-ready="true"] header.top-bar').count(), 1);
    assert.equal(await page.getByRole('button', { name: /^Sign (in|out)$/ }).count(), 0);
    const legacy = await getUrl(`${app.url}/`);
    assert.match(legacy.text, /AOC-V.2 Tracking Server On/);
  });

  it('shows every posted ambulance with its state in colour and words, speed and age', async () => {
    const { page } = dashboard;
    await page
      .locator('tr.fleet-row')
      .nth(FLEET.length - 1)
      .waitFor();
    assert.equal(await page.locator('tr.fleet-row').count(), FLEET.length);
    const expected = { a: 'GREEN', b: 'ORANGE', c: 'RED' } as const;
    const markerColours = new Set<string>();
    for (const ambulance of FLEET) {
      const row = fleetRow(page, id(ambulance.suffix));
      const state = expected[ambulance.suffix as keyof typeof expected];
      assert.equal(await row.getAttribute('data-state'), state);
      assert.equal(await row.getAttribute('data-stale'), 'false');
      assert.match(await row.innerText(), new RegExp(`${state}[\\s\\S]*${ambulance.speed} km/h`));
      // What the dispatcher sees: the canvas is painted in the state's colour at the unit's place.
      const marker = await paintedMarker(page, id(ambulance.suffix));
      assert.equal(marker.state, state);
      assert.equal(marker.labelText, `${id(ambulance.suffix)} · ${state}`);
      assert.equal(marker.label?.text, marker.labelText, 'the label is drawn (three units far apart never overlap)');
      markerColours.add(marker.colour);
    }
    assert.equal(markerColours.size, 3, `three distinct marker colours: ${[...markerColours].join(', ')}`);
    const colours = (await page.evaluate(
      "[...document.querySelectorAll('tr.fleet-row .state-badge')].map((badge) => getComputedStyle(badge).color)",
    )) as string[];
    assert.equal(new Set(colours).size, 3, `three distinct state colours: ${colours.join(', ')}`);
    assert.match(await page.locator('.connection').innerText(), /LIVE/);
    await dashboard.screenshot('dashboard-fleet');
  });

  it('moves the marker and updates speed and state when a new point arrives', async () => {
    const { page } = dashboard;
    const ambulanceId = id('a');
    const before = await drawnMarker(page, ambulanceId);
    await postPoint(app, ambulanceId, 45.5117, -73.5473, 127);
    const row = fleetRow(page, ambulanceId);
    await page.locator(`tr.fleet-row[data-ambulance-id="${ambulanceId}"][data-state="RED"]`).waitFor();
    assert.match(await row.locator('td.speed').innerText(), /127 km\/h/);
    const after = await drawnMarker(page, ambulanceId, (marker) => marker.latitude === 45.5117, 'the moved marker');
    assert.equal(after.state, 'RED');
    assert.equal(after.speed, 127);
    assert.ok(Math.hypot(after.x - before.x, after.y - before.y) > 20, 'the marker moved on screen');
    // The new place may be beyond the first view: fitted again, the unit is painted RED there.
    await page.getByRole('button', { name: 'Fit fleet' }).click();
    await paintedMarker(page, ambulanceId, (marker) => marker.state === 'RED', 'the moved marker painted RED');
  });

  it('raises a crash alert with location and speed until it is acknowledged by keyboard', async () => {
    const { page } = dashboard;
    const ambulanceId = id('b');
    const crash = await postFields(`${app.url}${ENDPOINTS.crash}`, {
      ambulance_id: ambulanceId,
      tracking_latitude: 45.52,
      tracking_longitude: -73.58,
      tracking_speed: 25,
      tracking_heading: 10,
    });
    assert.equal(crash.status, 200, crash.text);
    const alert = page.locator(`.alert[data-ambulance-id="${ambulanceId}"]`);
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /CRASH · Ambulance/);
    assert.match(text, /45\.52000, -73\.58000/);
    assert.match(text, /90 km\/h/, 'speed converted from 25 m/s');
    assert.equal(await alert.getAttribute('role'), 'alert');
    // A background tab shows the waiting alert in its title.
    await waitUntil(async () => /^\(1\) CRASH/.test(await page.title()), { message: 'the alert in the title' });
    await dashboard.screenshot('dashboard-crash-alert');
    await alert.locator('button.acknowledge').focus();
    await page.keyboard.press('Enter');
    await alert.waitFor({ state: 'detached' });
    assert.equal(await page.locator('.alert').count(), 0);
    await waitUntil(async () => (await page.title()) === 'Ambulance fleet · Dispatch', { message: 'the plain title' });
  });

  it('opens the detail view, which follows that ambulance and shows a snapshot as it is uploaded', async () => {
    const { page } = dashboard;
    const ambulanceId = id('c');
    await fleetRow(page, ambulanceId).locator('button.row-select').click();
    const detail = page.locator(`.detail[data-ambulance-id="${ambulanceId}"]`);
    await detail.waitFor();
    await page.locator('.detail[data-track-loaded="true"]').waitFor();
    await page.locator('.snapshots[data-snapshot-count="0"]').waitFor();
    // Two more subscriptions: this ambulance's positions and snapshots.
    await waitForSubscribers(app, 4);

    const upload = await postImages(app.url, ambulanceId, [{ field: 'camera', data: TINY_PNG }]);
    assert.equal(upload.status, 200, upload.text);
    const image = page.locator('.snapshots li[data-snapshot-id] img');
    await image.waitFor();
    await waitForLoadedImage(page, '.snapshots li img');
    assert.match((await image.getAttribute('src')) ?? '', /^\/uploads\/ambulance_images\//);

    await postPoint(app, ambulanceId, 45.49, -73.6, 64);
    await page.locator(`.detail[data-track-points="2"]`).waitFor();
    // The track follows at once; the speed comes with the fleet's next batch of positions.
    await detail.locator('.detail-speed', { hasText: /64 km\/h/ }).waitFor();
    await dashboard.screenshot('dashboard-detail');
  });

  it('reads only the newest snapshots when an ambulance is selected, not all of its history', async () => {
    const { page } = dashboard;
    const ambulanceId = id('b');
    for (let index = 0; index < 11; index += 1) {
      const upload = await postImages(app.url, ambulanceId, [{ field: 'image0', data: TINY_PNG }]);
      assert.equal(upload.status, 200, upload.text);
    }
    const snapshotReads = recordOperations(page, 'LatestSnapshots');
    try {
      await fleetRow(page, ambulanceId).locator('button.row-select').click();
      await page.locator(`.detail[data-ambulance-id="${ambulanceId}"] .snapshots[data-snapshot-count="8"]`).waitFor();
      // The first read asks for the newest eight; the catch-up once the subscription is live reads from its cursor.
      assert.deepEqual(snapshotReads.sent[0], { ambulanceId, last: 8, after: null });
      assert.ok(
        snapshotReads.sent.slice(1).every((variables) => typeof variables.after === 'string'),
        JSON.stringify(snapshotReads.sent),
      );
      const newest = await graphqlRequest<{ snapshots: { edges: Array<{ node: { id: string } }> } }>(
        app.graphqlUrl,
        'query($id: ID!) { snapshots(ambulanceId: $id, last: 8) { edges { node { id } } } }',
        { id: ambulanceId },
      );
      const shown = await page
        .locator('.snapshots li[data-snapshot-id]')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-snapshot-id')));
      assert.deepEqual(
        shown,
        (newest.data?.snapshots.edges ?? []).map((edge) => edge.node.id).reverse(),
        'the eight newest, newest first',
      );
    } finally {
      snapshotReads.stop();
    }
  });

  it('logged no console errors', () => {
    assert.deepEqual(dashboard.consoleErrors, []);
  });
});
