import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { seriousAxeViolations } from './helpers/axe.check.js';
import { type DashboardPage, fleetRow, launchBrowser, mapMarkers, openDashboard } from './helpers/browser.js';
import { ENDPOINTS, postFields, trackingFields } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { waitUntil } from './helpers/test-env.js';
import { assertInViewport } from './helpers/viewport.assert.js';

const UNITS = 120;
const IDS = Array.from({ length: UNITS }, (_, index) => `S${index + 1}`);

/** In-page code is typed without the DOM library: just what these tests touch. */
interface Scroller {
  scrollTop: number;
  readonly scrollHeight: number;
}

const scrollFleetTo = (page: Page, where: 'top' | 'bottom') =>
  page.locator('#panel-fleet').evaluate((element, to) => {
    const scroller = element as unknown as Scroller;
    scroller.scrollTop = to === 'top' ? 0 : scroller.scrollHeight;
  }, where);

const focusedText = (page: Page) =>
  page.evaluate(() => {
    const scope = globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } };
    return scope.document.activeElement?.textContent ?? null;
  });

describe('dashboard: a fleet longer than the screen (virtualised list)', () => {
  let app: TestApp;
  let browser: Browser;
  let dashboard: DashboardPage;

  before(async () => {
    app = await startTestApp();
    for (let start = 0; start < UNITS; start += 20) {
      await Promise.all(
        IDS.slice(start, start + 20).map(async (id) => {
          const result = await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields(id, 30));
          assert.equal(result.status, 200, result.text);
        }),
      );
    }
    await app.app.trackingWriter.drained();
    browser = await launchBrowser();
    dashboard = await openDashboard(browser, app.url, { viewport: { width: 1366, height: 768 }, bypassCSP: true });
    await dashboard.page.getByRole('tab', { name: /^Fleet/ }).click();
    await dashboard.page.locator(`table[data-fleet-size="${UNITS}"]`).waitFor();
  });

  after(async () => {
    await closeAll(
      () => dashboard?.close(),
      () => browser?.close(),
      () => app?.close(),
    );
  });

  it('keeps only the rows in view in the page and tells assistive technology how many there are', async () => {
    const { page } = dashboard;
    const table = page.locator('.fleet-list table');
    const rendered = Number(await table.getAttribute('data-rendered'));
    assert.ok(rendered > 10 && rendered < UNITS / 2, `rows in the page: ${rendered} of ${UNITS}`);
    assert.equal(await page.locator('tr.fleet-row').count(), rendered);
    assert.equal(await table.getAttribute('aria-rowcount'), String(UNITS + 1));
    assert.equal(await fleetRow(page, 'S1').getAttribute('aria-rowindex'), '2');
    assert.equal(await fleetRow(page, `S${UNITS}`).count(), 0);
    // Every unit is on the map all the same.
    await waitUntil(async () => (await mapMarkers(page)).length === UNITS, { message: 'every unit on the map' });
    assert.deepEqual(await seriousAxeViolations(page), [], 'no serious or critical axe-core violations');
  });

  it('shows the rows further down as the list is scrolled, in id order', async () => {
    const { page } = dashboard;
    await scrollFleetTo(page, 'bottom');
    const last = fleetRow(page, `S${UNITS}`);
    await last.waitFor();
    // Rows are measured as they come into the page (their height was estimated): the end moved a little further.
    await scrollFleetTo(page, 'bottom');
    assert.equal(await last.getAttribute('aria-rowindex'), String(UNITS + 1));
    await assertInViewport(page, last, 'the last row, scrolled to');
    assert.equal(await fleetRow(page, 'S1').count(), 0, 'the first rows left the page');
    const shown = await page
      .locator('tr.fleet-row')
      .evaluateAll((rows) =>
        rows.map((row) => (row as unknown as { dataset: { ambulanceId: string } }).dataset.ambulanceId),
      );
    const numbers = shown.map((id) => Number(id.slice(1)));
    assert.deepEqual(
      numbers,
      numbers.map((_, index) => (numbers[0] as number) + index),
      `consecutive ids: ${shown.join(' ')}`,
    );
    await scrollFleetTo(page, 'top');
    await fleetRow(page, 'S1').waitFor();
  });

  it('finds a unit far down the list by search', async () => {
    const { page } = dashboard;
    await page.locator('.fleet-search').fill('S117');
    await page.locator('table[data-shown="1"]').waitFor();
    await assertInViewport(page, fleetRow(page, 'S117'), 'the unit found');
    await page.locator('.fleet-search').fill('');
    await page.locator(`table[data-shown="${UNITS}"]`).waitFor();
  });

  it('walks the list by keyboard past the rows first put in the page', async () => {
    const { page } = dashboard;
    await scrollFleetTo(page, 'top');
    await fleetRow(page, 'S1').locator('button.row-select').focus();
    const rendered = Number(await page.locator('.fleet-list table').getAttribute('data-rendered'));
    const steps = rendered + 5;
    for (let step = 0; step < steps; step += 1) await page.keyboard.press('Tab');
    const expected = `S${steps + 1}`;
    assert.equal(await focusedText(page), expected, 'Tab went from row to row');
    await assertInViewport(page, fleetRow(page, expected).locator('button.row-select'), 'the focused row');
    // Scrolled away with the mouse wheel, the focused row stays in the page, and the focus on it.
    await scrollFleetTo(page, 'bottom');
    await fleetRow(page, `S${UNITS}`).waitFor();
    assert.equal(await fleetRow(page, expected).count(), 1, 'the focused row is kept');
    assert.equal(await focusedText(page), expected, 'the focus stays');
    await page.keyboard.press('Enter');
    await page.locator(`.detail[data-ambulance-id="${expected}"]`).waitFor();
    assert.deepEqual(dashboard.consoleErrors, []);
  });
});
