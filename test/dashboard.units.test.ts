import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { type DashboardPage, fleetRow, launchBrowser, mapMarker, openDashboard } from './helpers/browser.js';
import { type Scenario, seedScenario } from './helpers/dashboard.scenario.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { uniqueName } from './helpers/test-env.js';

const CLOCK = /\b([01]\d|2[0-3]):[0-5]\d\b/;

describe('dashboard: crashes and stale units shown on the unit itself', () => {
  let app: TestApp;
  let browser: Browser;
  let scenario: Scenario;
  let dashboard: DashboardPage;

  before(async () => {
    // The scenario's quiet unit reported 7 minutes ago: stale, not yet offline (test/dashboard.dispatch.test.ts).
    app = await startTestApp({ env: { OFFLINE_AFTER_SECONDS: '900' } });
    browser = await launchBrowser();
    scenario = await seedScenario(app, uniqueName('amb').slice(-5));
    dashboard = await openDashboard(browser, app.url);
    await dashboard.page.locator('.alerts[data-alert-count="2"]').waitFor();
  });

  after(async () => {
    await closeAll(
      () => dashboard?.close(),
      () => browser?.close(),
      () => app?.close(),
    );
  });

  it('marks a crashed unit CRASH with its 24-hour time in the list, on the map and in its detail', async () => {
    const { page } = dashboard;
    const row = fleetRow(page, scenario.crashed);
    assert.equal(await row.getAttribute('data-status'), 'crash');
    const state = await row.locator('td.state').innerText();
    assert.match(state, new RegExp(`^CRASH ${CLOCK.source}$`));
    assert.doesNotMatch(await row.innerText(), /GREEN|ORANGE|km\/h/, 'no speed state or speed beside a crash');

    const marker = mapMarker(page, scenario.crashed);
    assert.equal(await marker.getAttribute('data-status'), 'crash');
    assert.match(await marker.innerText(), /· CRASH/);
    const crashMarker = page.locator(`.crash-marker[data-ambulance-id="${scenario.crashed}"]`);
    await crashMarker.waitFor();

    await row.locator('button.row-select').click();
    const detail = page.locator(`.detail[data-ambulance-id="${scenario.crashed}"]`);
    await detail.waitFor();
    assert.equal(await detail.getAttribute('data-status'), 'crash');
    assert.match(await detail.locator('.detail-state').innerText(), new RegExp(`CRASH ${CLOCK.source}`));
    assert.match(await detail.locator('.detail-crash').innerText(), /CRASH at \d\d:\d\d:\d\d[\s\S]*59 km\/h at impact/);
    assert.equal(await detail.locator('.detail-speed').count(), 0, 'no current speed for a crashed unit');
    await dashboard.screenshot('dashboard-crashed-unit');
  });

  it('puts the crash marker at the crash position, and a crash-only unit there too', async () => {
    const { page } = dashboard;
    const crashOnly = mapMarker(page, scenario.crashOnly);
    await crashOnly.waitFor();
    assert.equal(Number(await crashOnly.getAttribute('data-lat')), scenario.crashOnlyAt.latitude);
    assert.equal(Number(await crashOnly.getAttribute('data-lon')), scenario.crashOnlyAt.longitude);
    // The crash marker of the moving unit sits where it crashed: compare screen positions with a marker placed there.
    const crashBox = await page.locator(`.crash-marker[data-ambulance-id="${scenario.crashed}"]`).boundingBox();
    const moved = mapMarker(page, scenario.crashed);
    assert.equal(Number(await moved.getAttribute('data-lat')), scenario.crashedAt.latitude);
    const unitBox = await moved.boundingBox();
    assert.ok(crashBox && unitBox);
    const centre = (box: { x: number; y: number; width: number; height: number }) => [
      box.x + box.width / 2,
      box.y + box.height / 2,
    ];
    const [cx, cy] = centre(crashBox);
    const [ux, uy] = centre(unitBox);
    assert.ok(Math.hypot((cx ?? 0) - (ux ?? 0), (cy ?? 0) - (uy ?? 0)) < 2, 'crash marker and unit at one place');

    await fleetRow(page, scenario.crashOnly).locator('button.row-select').click();
    const detail = page.locator(`.detail[data-ambulance-id="${scenario.crashOnly}"]`);
    await detail.waitFor();
    const text = await detail.innerText();
    assert.doesNotMatch(text, /No position reported yet/);
    assert.match(text, /Crash position[\s\S]*45\.49550, -73\.59010/);
  });

  it('shows crash alerts without a speed state', async () => {
    const { page } = dashboard;
    const alert = page.locator(`.alert[data-ambulance-id="${scenario.crashed}"]`);
    const text = await alert.innerText();
    assert.match(text, /59 km\/h at impact/);
    assert.doesNotMatch(text, /GREEN|ORANGE|RED/);
    assert.equal(await alert.locator('.state-badge').count(), 0);
  });

  it('shows a stale unit by the time of its last report, not a speed and state', async () => {
    const { page } = dashboard;
    const row = fleetRow(page, scenario.stale);
    assert.equal(await row.getAttribute('data-status'), 'stale');
    assert.equal(await row.locator('td.state').innerText(), 'STALE');
    assert.match(
      await row.locator('td.speed').innerText(),
      new RegExp(`^last report ${CLOCK.source} \\(7 min ago\\)$`),
    );
    assert.doesNotMatch(await row.innerText(), /km\/h|GREEN/);
    assert.match((await mapMarker(page, scenario.stale).textContent()) ?? '', /· STALE$/);
    await row.locator('button.row-select').click();
    const detail = page.locator(`.detail[data-ambulance-id="${scenario.stale}"]`);
    await detail.waitFor();
    assert.match(await detail.locator('.detail-last-report').innerText(), /^last report \d\d:\d\d \(7 min ago\)$/);
    assert.equal(await detail.locator('.detail-speed').count(), 0);
  });

  it('shows the crashed unit by its speed again once the crash is acknowledged', async () => {
    const { page } = dashboard;
    await page.locator(`.alert[data-ambulance-id="${scenario.crashed}"] button.acknowledge`).click();
    const row = page.locator(`tr.fleet-row[data-ambulance-id="${scenario.crashed}"][data-status="live"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /ORANGE[\s\S]*\d+ km\/h/);
    await page.locator(`.crash-marker[data-ambulance-id="${scenario.crashed}"]`).waitFor({ state: 'detached' });
  });
});
