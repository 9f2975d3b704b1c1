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
} from './helpers/browser.js';
import { type Scenario, seedScenario } from './helpers/dashboard.scenario.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { uniqueName, waitUntil } from './helpers/test-env.js';

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

    const marker = await paintedMarker(page, scenario.crashed);
    assert.equal(marker.status, 'crash');
    assert.equal(marker.tone, 'crash');
    assert.match(marker.labelText, /· CRASH$/);
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
    const crashOnly = await drawnMarker(page, scenario.crashOnly);
    assert.equal(crashOnly.latitude, scenario.crashOnlyAt.latitude);
    assert.equal(crashOnly.longitude, scenario.crashOnlyAt.longitude);
    // The crash marker of the moving unit sits where it crashed: compare screen positions with the unit drawn there.
    const crashBox = await page.locator(`.crash-marker[data-ambulance-id="${scenario.crashed}"]`).boundingBox();
    const moved = await drawnMarker(page, scenario.crashed);
    assert.equal(moved.latitude, scenario.crashedAt.latitude);
    assert.ok(crashBox);
    const [cx, cy] = [crashBox.x + crashBox.width / 2, crashBox.y + crashBox.height / 2];
    assert.ok(Math.hypot(cx - moved.x, cy - moved.y) < 2, 'crash marker and unit at one place');

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
    // On the map too the unit is greyed, in the grey of the list, and labelled STALE.
    const marker = await paintedMarker(page, scenario.stale);
    assert.match(marker.labelText, /· STALE$/);
    assert.equal(marker.stale, true);
    const listGrey = await row.locator('td.speed').evaluate((cell) => {
      const scope = globalThis as unknown as { getComputedStyle(element: unknown): { color: string } };
      return scope.getComputedStyle(cell).color;
    });
    assert.equal(hexColour(listGrey), marker.colour, 'the marker is painted in the grey of stale rows');
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
    const marker = await drawnMarker(page, scenario.crashed, (drawn) => drawn.status === 'live', 'the unit live again');
    assert.equal(marker.state, 'ORANGE');
    assert.match(marker.labelText, /· ORANGE$/);
  });

  it('selects the unit clicked on the map, by its dot or its label, and names it on hover', async () => {
    const { page } = dashboard;
    const [first, second] = scenario.moving as [string, string];
    const dot = await paintedMarker(page, first);
    await page.mouse.move(dot.x, dot.y);
    await waitUntil(async () => (await page.locator('section.map').getAttribute('title')) === dot.title, {
      message: 'the hover text of the unit under the pointer',
    });
    await page.mouse.click(dot.x, dot.y);
    await page.locator(`.detail[data-ambulance-id="${first}"]`).waitFor();
    assert.equal((await paintedMarker(page, first, (marker) => marker.selected)).selected, true);

    const labelled = await drawnMarker(page, second, (marker) => marker.label !== null, 'a label to click');
    const label = labelled.label as NonNullable<typeof labelled.label>;
    await page.mouse.click(label.x + label.width / 2, label.y + label.height / 2);
    await page.locator(`.detail[data-ambulance-id="${second}"]`).waitFor();
    assert.equal((await drawnMarker(page, first)).selected, false, 'one unit selected at a time');
  });
});

/** `rgb(141, 150, 165)` as `#8d96a5`. */
function hexColour(css: string): string {
  const parts = css.match(/\d+/g)?.slice(0, 3).map(Number) ?? [];
  return `#${parts.map((value) => value.toString(16).padStart(2, '0')).join('')}`;
}
