import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { type DashboardPage, fleetRow, launchBrowser, openDashboard, recordOperations } from './helpers/browser.js';
import { ENDPOINTS, postFields, trackingFields } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const PAGE_SIZE = 2;
const AMBULANCES = ['P1', 'P2', 'P3', 'P4', 'P5'];

describe('dashboard: a fleet longer than one page', () => {
  let app: TestApp;
  let browser: Browser;
  let dashboard: DashboardPage;
  let fleetReads: Array<{ first?: number; after?: string | null }> = [];

  before(async () => {
    app = await startTestApp({
      env: { HISTORY_DEFAULT_PAGE_SIZE: String(PAGE_SIZE), HISTORY_MAX_PAGE_SIZE: String(PAGE_SIZE) },
    });
    for (const id of AMBULANCES) {
      const result = await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields(id, 30));
      assert.equal(result.status, 200, result.text);
    }
    await app.app.trackingWriter.drained();
    browser = await launchBrowser();
    dashboard = await openDashboard(browser, app.url, {
      watch: (page) => {
        fleetReads = recordOperations<{ first?: number; after?: string | null }>(page, 'Fleet').sent;
      },
    });
  });

  after(async () => {
    await closeAll(
      () => dashboard?.close(),
      () => browser?.close(),
      () => app?.close(),
    );
  });

  it('reads the fleet page after page and lists every ambulance', async () => {
    for (const id of AMBULANCES) await fleetRow(dashboard.page, id).waitFor();
    assert.equal(await dashboard.page.locator('tr.fleet-row').count(), AMBULANCES.length);
    // Pages of two: 2 + 2 + 1.
    assert.ok(fleetReads.length >= 3, JSON.stringify(fleetReads));
    assert.ok(
      fleetReads.every((variables) => variables.first === PAGE_SIZE),
      JSON.stringify(fleetReads),
    );
    assert.deepEqual(dashboard.consoleErrors, []);
  });
});
