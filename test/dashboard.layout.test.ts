import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { seriousAxeViolations } from './helpers/axe.check.js';
import {
  type DashboardPage,
  drawnMarker,
  fleetRow,
  launchBrowser,
  mapMarkers,
  openDashboard,
} from './helpers/browser.js';
import { type Scenario, seedScenario } from './helpers/dashboard.scenario.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { uniqueName } from './helpers/test-env.js';
import { assertInViewport, assertWithin, remPixels } from './helpers/viewport.assert.js';

const SIZES = [
  { name: '1920', width: 1920, height: 1080, wide: true },
  { name: '1366', width: 1366, height: 768, wide: false },
  { name: '390', width: 390, height: 844, wide: false },
] as const;

/**
 * docs/ of the repository (the tests run from dist/test). The screenshots there are refreshed only on request
 * (`UPDATE_DOCS_SCREENSHOTS=1 npm test -- dist/test/dashboard.layout.test.js`), so a test run never edits the
 * checkout; every run keeps its own in test-artifacts/.
 */
const DOCS_DIR = path.resolve(import.meta.dirname, '..', '..', 'docs');
const UPDATE_DOCS_SCREENSHOTS = process.env.UPDATE_DOCS_SCREENSHOTS === '1';

async function showTab(page: Page, name: RegExp): Promise<void> {
  await page.getByRole('tab', { name }).click();
}

describe('dashboard: every part reachable at 1920×1080, 1366×768 and 390×844', () => {
  let app: TestApp;
  let browser: Browser;
  let scenario: Scenario;

  before(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    scenario = await seedScenario(app, uniqueName('amb').slice(-5));
  });

  after(async () => {
    await closeAll(
      () => browser?.close(),
      () => app?.close(),
    );
  });

  for (const size of SIZES) {
    it(`at ${size.width}×${size.height}: one-line header, compact alerts, fleet, unit and replay with chart in view`, async () => {
      let dashboard: DashboardPage | undefined;
      try {
        dashboard = await openDashboard(browser, app.url, {
          viewport: { width: size.width, height: size.height },
          bypassCSP: true,
        });
        const { page } = dashboard;
        const rem = await remPixels(page);
        await page.locator('.alerts[data-alert-count="2"]').waitFor();
        await dashboard.screenshot(`dashboard-${size.name}-open`);

        const header = await assertInViewport(page, page.locator('header.top-bar'), 'header');
        assert.ok(header.height < 3.2 * rem, `the header is one line (${header.height} px at ${rem} px/rem)`);
        const headerWraps = await page.locator('header.top-bar > *').evaluateAll((items) =>
          items
            .map((item) => item.getBoundingClientRect())
            .filter((box) => box.width > 0)
            .some((box, _index, boxes) => box.top >= (boxes[0]?.bottom ?? 0) - 1),
        );
        assert.equal(headerWraps, false, 'no header item starts below the first one');

        await page.locator('.alerts[data-alert-count="2"]').waitFor();
        const alerts = await assertInViewport(page, page.locator('.alerts'), 'crash alerts');
        assert.ok(alerts.height <= 0.22 * size.height + 2, `two crash alerts stay compact (${alerts.height} px)`);
        for (const id of [scenario.crashed, scenario.crashOnly]) {
          await assertInViewport(
            page,
            page.locator(`.alert[data-ambulance-id="${id}"] button.acknowledge`),
            'acknowledge',
          );
        }

        const map = await assertInViewport(page, page.locator('.map'), 'map', 150);
        for (const id of [...scenario.moving, scenario.stale, scenario.crashOnly]) {
          const { x, y, radius } = await drawnMarker(page, id);
          const dot = { x: x - radius, y: y - radius, width: 2 * radius, height: 2 * radius };
          assertWithin(dot, map, `marker of ${id} inside the map`);
        }
        for (const { label } of await mapMarkers(page)) {
          if (label) assertWithin(label, map, `label ${label.text} not cut off`);
        }
        await assertInViewport(
          page,
          page.locator(`.crash-marker[data-ambulance-id="${scenario.crashed}"]`),
          'crash marker',
        );

        // The fleet list: a tab of its own on laptops and phones, its own column on wide screens.
        if (!size.wide) await showTab(page, /^Fleet/);
        const fleet = page.locator('.fleet-list');
        await assertInViewport(page, fleet.locator('#fleet-list-title'), 'fleet heading');
        await assertInViewport(page, fleet.locator('.fleet-search'), 'fleet search');
        const firstRow = await assertInViewport(page, page.locator('tr.fleet-row').first(), 'first fleet row');
        assert.ok(firstRow.height < 2.6 * rem, `fleet rows do not wrap (${firstRow.height} px)`);
        await dashboard.screenshot(`dashboard-${size.name}-fleet`);
        assert.deepEqual(await seriousAxeViolations(page), [], 'no serious or critical axe-core violations (fleet)');

        const unit = scenario.moving[2] as string;
        await fleetRow(page, unit).locator('button.row-select').click();
        const detail = page.locator(`.detail[data-ambulance-id="${unit}"][data-track-loaded="true"]`);
        await assertInViewport(page, detail.locator('#detail-title'), 'unit heading');
        await assertInViewport(page, detail.locator('.detail-state'), 'unit state');
        if (size.wide) await assertInViewport(page, fleetRow(page, unit), 'the fleet list beside the selected unit');
        await dashboard.screenshot(`dashboard-${size.name}-unit`);

        await showTab(page, /^Replay/);
        await page.getByRole('button', { name: 'Last 15 min' }).click();
        await page.locator('.replay[data-replay-status="ready"] .speed-chart canvas').waitFor();
        await assertInViewport(page, page.getByRole('button', { name: 'Play', exact: true }), 'replay play button');
        await assertInViewport(page, page.locator('.scrub input'), 'replay slider');
        await assertInViewport(page, page.locator('.speed-chart canvas'), 'speed chart', 4 * rem);
        assert.deepEqual(await seriousAxeViolations(page), [], 'no serious or critical axe-core violations (replay)');
        const file = await dashboard.screenshot(`dashboard-${size.name}`);
        if (UPDATE_DOCS_SCREENSHOTS) await copyFile(file, path.join(DOCS_DIR, `dashboard-${size.name}.png`));
        assert.deepEqual(dashboard.consoleErrors, []);
      } finally {
        await dashboard?.close();
      }
    });
  }
});
