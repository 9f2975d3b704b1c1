import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { seriousAxeViolations } from './helpers/axe.check.js';
import { type DashboardPage, fleetRow, launchBrowser, openDashboard } from './helpers/browser.js';
import { askOk, CREATE_PLACE, createCircle, north, report, settled, sleep } from './helpers/dispatch.helpers.js';
import { ENDPOINTS, postFields } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { uniqueName } from './helpers/test-env.js';

/** docs/ of the repository; its screenshots are refreshed only with UPDATE_DOCS_SCREENSHOTS=1. */
const DOCS_DIR = path.resolve(import.meta.dirname, '..', '..', 'docs');
const UPDATE_DOCS_SCREENSHOTS = process.env.UPDATE_DOCS_SCREENSHOTS === '1';

const HOSPITAL = { latitude: 45.5017, longitude: -73.5673 };
const STATION = { latitude: 45.5231, longitude: -73.6104 };
const CALL = { latitude: 45.51, longitude: -73.58 };

async function screenshot(dashboard: DashboardPage, name: string): Promise<void> {
  // The whole fleet and, one zoom step out, the places around it in view.
  await dashboard.page.getByRole('button', { name: 'Fit fleet' }).click();
  await sleep(600);
  await dashboard.page.locator('.leaflet-control-zoom-out').click();
  await sleep(600);
  const file = await dashboard.screenshot(name);
  if (UPDATE_DOCS_SCREENSHOTS) await copyFile(file, path.join(DOCS_DIR, `${name}.png`));
}

const showTab = (page: Page, name: RegExp) => page.getByRole('tab', { name }).click();

describe("dashboard: a dispatcher's shift (places, unit status, arrivals, nearest units, event log, shared acknowledgement)", () => {
  let app: TestApp;
  let browser: Browser;
  let dashboard: DashboardPage;
  const prefix = uniqueName('d').slice(-5);
  const id = (suffix: string) => `${prefix}-${suffix}`;
  const transporting = id('201');
  const units = { near: id('202'), middle: id('203'), far: id('204') };
  const offline = id('205');

  before(async () => {
    app = await startTestApp({ env: { PLACE_DWELL_SECONDS: '1' } });
    browser = await launchBrowser();
    await createCircle(app, 'General Hospital', 'HOSPITAL', HOSPITAL, 150);
    await createCircle(app, 'Station 7', 'STATION', STATION, 120);
    await askOk(app, CREATE_PLACE, {
      input: {
        name: 'North Base',
        kind: 'BASE',
        polygon: [
          { latitude: 45.545, longitude: -73.6 },
          { latitude: 45.545, longitude: -73.59 },
          { latitude: 45.552, longitude: -73.595 },
        ],
      },
    });
    await report(app, transporting, north(HOSPITAL, 1500), 70);
    await report(app, units.near, north(CALL, 800));
    await report(app, units.middle, north(CALL, 2500));
    await report(app, units.far, north(CALL, 6000));
    await report(app, offline, north(CALL, 300));
    await settled(app);
    // A unit that went silent ten minutes ago (the server stamps reports on arrival: age the stored ones).
    const silentSince = new Date(Date.now() - 10 * 60_000);
    const { collections } = app.app.models;
    await collections.trackings.updateMany({ ambulance_id: offline }, { $set: { count_datetime: silentSince } });
    await collections.ambulances.updateOne({ _id: offline }, { $set: { 'last_position.count_datetime': silentSince } });
    app.app.latestPositions.forget(offline);
    dashboard = await openDashboard(browser, app.url, { viewport: { width: 1920, height: 1080 }, bypassCSP: true });
  });

  after(async () => {
    await closeAll(
      () => dashboard?.close(),
      () => browser?.close(),
      () => app?.close(),
    );
  });

  it('draws the places on the map, hospitals with an H symbol', async () => {
    const { page } = dashboard;
    const hospital = page.locator('.place-marker.place-hospital');
    await hospital.waitFor();
    assert.match(await hospital.innerText(), /^H\s*General Hospital$/);
    assert.equal(await page.locator('.place-marker').count(), 3);
    assert.equal(await page.locator('path.place-area').count(), 3);
    await screenshot(dashboard, 'dispatch-places');
  });

  it('shows an OFFLINE unit as "offline since HH:MM", without a current speed', async () => {
    const row = fleetRow(dashboard.page, offline);
    await row.waitFor();
    assert.equal(await row.locator('td.state').innerText(), 'OFFLINE');
    assert.match(await row.locator('td.speed').innerText(), /^offline since \d\d:\d\d$/);
    assert.doesNotMatch(await row.innerText(), /km\/h/);
    // The header counts it as its row names it.
    const summary = await dashboard.page.locator('header.top-bar .summary').innerText();
    assert.match(summary, /\b1 OFFLINE\b/);
    assert.match(summary, /\b0 STALE\b/);
  });

  it('sets a unit status from its badge menu; every row shows its status badge', async () => {
    const { page } = dashboard;
    await fleetRow(page, transporting).locator('button.row-select').click();
    const menu = page.locator(`.unit-status-menu[data-ambulance-id="${transporting}"]`);
    await menu.waitFor();
    assert.equal(await menu.locator('[data-unit-status]').getAttribute('data-unit-status'), 'AVAILABLE');
    await menu.locator('select.unit-status-select').selectOption('TRANSPORTING');
    await menu.locator('[data-unit-status="TRANSPORTING"]').waitFor();
    await fleetRow(page, transporting).locator('[data-unit-status="TRANSPORTING"]').waitFor();
    assert.equal(await fleetRow(page, units.near).locator('[data-unit-status]').innerText(), 'AVL');
    assert.equal(await fleetRow(page, units.near).locator('[data-unit-status]').getAttribute('title'), 'Available');
    await screenshot(dashboard, 'dispatch-status-change');
  });

  it('shows an arrival live: the unit enters the hospital, its status becomes At hospital, the log says so', async () => {
    const { page } = dashboard;
    await report(app, transporting, north(HOSPITAL, 20), 15);
    await sleep(1100);
    await report(app, transporting, north(HOSPITAL, 10), 5);
    await settled(app);
    const menu = page.locator(`.unit-status-menu[data-ambulance-id="${transporting}"]`);
    await menu.locator('[data-unit-status="AT_HOSPITAL"]').waitFor();
    assert.match(await menu.innerText(), /system:hospital-arrival/);
    await showTab(page, /^Dispatch$/);
    const arrival = page.locator('.event-list li[data-kind="PLACE_ENTERED"]');
    await arrival.waitFor();
    assert.match(await arrival.innerText(), new RegExp(`${transporting}[\\s\\S]*Arrived\\s+at General Hospital`));
    await page.locator('.event-list li[data-kind="STATUS_CHANGED"]', { hasText: 'At hospital' }).waitFor();
    await screenshot(dashboard, 'dispatch-arrival');
  });

  it('ranks the nearest online units to typed coordinates, and to a point clicked on the map', async () => {
    const { page } = dashboard;
    await showTab(page, /^Dispatch$/);
    await page.locator('input.nearest-input').fill(`${CALL.latitude}, ${CALL.longitude}`);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.locator('.nearest[data-status="ready"]').waitFor();
    const items = page.locator('.nearest-list li');
    const ranked = await items.evaluateAll((elements) =>
      elements.map((element) => {
        const { dataset } = element as unknown as { dataset: { ambulanceId: string; distance: string } };
        return { id: dataset.ambulanceId, distance: Number(dataset.distance) };
      }),
    );
    const distances = ranked.map((unit) => unit.distance);
    assert.deepEqual(
      distances,
      [...distances].sort((a, b) => a - b),
      'nearest first',
    );
    const ours = new Set(Object.values(units));
    assert.deepEqual(
      ranked.filter((unit) => ours.has(unit.id)).map((unit) => unit.id),
      [units.near, units.middle, units.far],
    );
    assert.ok(!ranked.some((unit) => unit.id === offline), 'an OFFLINE unit is not offered');
    assert.match(await items.first().innerText(), /(799|800|801) m · ~1 min/);
    await page.locator('.nearest-target').waitFor();
    await screenshot(dashboard, 'dispatch-nearest-units');

    // Available only: the unit at the hospital is left out.
    await page.getByLabel('Available only').check();
    await page
      .locator(`.nearest[data-status="ready"] .nearest-list:not(:has([data-ambulance-id="${transporting}"]))`)
      .waitFor();
    assert.equal(await page.locator('.nearest-list li').first().getAttribute('data-ambulance-id'), units.near);
    await page.getByLabel('Available only').uncheck();
    await page.locator(`.nearest[data-status="ready"] .nearest-list li[data-ambulance-id="${transporting}"]`).waitFor();
    const typed = await page.locator('.nearest').getAttribute('data-target');
    assert.equal(typed, `${CALL.latitude},${CALL.longitude}`);
    await page.getByRole('button', { name: 'Pick on map' }).click();
    const map = await page.locator('section.map').boundingBox();
    assert.ok(map);
    // An empty spot of the map (markers and their labels take their own clicks).
    const picked = page.locator(`.nearest[data-status="ready"]:not([data-target="${typed}"])`);
    for (const [x, y] of [
      [0.62, 0.42],
      [0.3, 0.7],
      [0.8, 0.6],
      [0.45, 0.2],
    ] as const) {
      if (!(await page.locator('.nearest-pick[aria-pressed="true"]').count())) {
        await page.getByRole('button', { name: 'Pick on map' }).click();
      }
      await page.mouse.click(map.x + map.width * x, map.y + map.height * y);
      if (
        await picked.waitFor({ timeout: 3000 }).then(
          () => true,
          () => false,
        )
      )
        break;
    }
    await picked.waitFor();
    assert.ok((await page.locator('.nearest-list li').count()) > 0, 'units near the clicked point');
  });

  it('filters the event log by kind', async () => {
    const { page } = dashboard;
    await showTab(page, /^Dispatch$/);
    await page.locator('select.event-kind-filter').selectOption('STATUS_CHANGED');
    await page.locator('.event-log[data-events="2"]').waitFor();
    const kinds = await page
      .locator('.event-list li')
      .evaluateAll((elements) =>
        elements.map((element) => (element as unknown as { dataset: { kind: string } }).dataset.kind),
      );
    assert.deepEqual(kinds, ['STATUS_CHANGED', 'STATUS_CHANGED']);
    await page.locator('select.event-kind-filter').selectOption('all');
    await screenshot(dashboard, 'dispatch-event-log');
    assert.deepEqual(await seriousAxeViolations(page), []);
  });

  it('shares a crash acknowledgement: acknowledged on one dashboard, it leaves the other at once', async () => {
    const other = await openDashboard(browser, app.url, { viewport: { width: 1366, height: 768 } });
    try {
      const crash = await postFields(`${app.url}${ENDPOINTS.crash}`, {
        ambulance_id: units.middle,
        tracking_latitude: CALL.latitude,
        tracking_longitude: CALL.longitude,
        tracking_speed: 10,
        tracking_heading: 0,
      });
      assert.equal(crash.status, 200);
      const alertHere = dashboard.page.locator(`.alert[data-ambulance-id="${units.middle}"]`);
      const alertThere = other.page.locator(`.alert[data-ambulance-id="${units.middle}"]`);
      await alertHere.waitFor();
      await alertThere.waitFor();
      await alertHere.locator('button.acknowledge').click();
      await alertThere.waitFor({ state: 'detached' });
      const stored = await app.app.models.collections.crashes.findOne({ ambulance_id: units.middle });
      assert.ok(stored?.acknowledged_at, 'acknowledged on the server');
      await other.page.reload();
      await other.page.locator('.app[data-ready="true"]').waitFor();
      await sleep(500);
      assert.equal(await alertThere.count(), 0, 'a reloaded dashboard does not raise it again');
    } finally {
      await other.close();
    }
    assert.deepEqual(dashboard.consoleErrors, []);
  });
});
