import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { type DashboardPage, fleetRow, launchBrowser, mapMarkers, openDashboard } from './helpers/browser.js';
import { type Scenario, seedScenario } from './helpers/dashboard.scenario.js';
import { ENDPOINTS, postFields } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { uniqueName } from './helpers/test-env.js';

describe('dashboard: search, filter, track colours, labels, time format and sound', () => {
  let app: TestApp;
  let browser: Browser;
  let scenario: Scenario;
  let dashboard: DashboardPage;
  const prefix = uniqueName('amb').slice(-5);

  before(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    scenario = await seedScenario(app, prefix);
    dashboard = await openDashboard(browser, app.url, { viewport: { width: 1366, height: 768 } });
    await dashboard.page.locator('.alerts[data-alert-count="2"]').waitFor();
  });

  after(async () => {
    await closeAll(
      () => dashboard?.close(),
      () => browser?.close(),
      () => app?.close(),
    );
  });

  it('finds units by part of the id and by state', async () => {
    const { page } = dashboard;
    const rows = page.locator('tr.fleet-row');
    assert.equal(await rows.count(), 8);
    await page.locator('.fleet-search').fill(`${prefix}-10`.toUpperCase().slice(-4));
    assert.equal(await page.locator('table[data-shown="8"]').count(), 1, 'every id holds "-10"');
    await page.locator('.fleet-search').fill('103');
    await page.locator('table[data-shown="1"]').waitFor();
    assert.equal(await rows.first().getAttribute('data-ambulance-id'), `${prefix}-103`);
    await page.locator('.fleet-search').fill('');
    await page.locator('.fleet-state-filter').selectOption('red');
    await page.locator('table[data-shown="2"]').waitFor();
    assert.deepEqual(await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-ambulance-id'))), [
      `${prefix}-103`,
      `${prefix}-106`,
    ]);
    await page.locator('.fleet-state-filter').selectOption('crash');
    await page.locator('table[data-shown="2"]').waitFor();
    assert.deepEqual(await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-status'))), [
      'crash',
      'crash',
    ]);
    await page.locator('.fleet-state-filter').selectOption('stale');
    await page.locator('table[data-shown="1"]').waitFor();
    assert.equal(await rows.first().getAttribute('data-ambulance-id'), scenario.stale);
    await page.locator('.fleet-state-filter').selectOption('all');
    await page.locator('table[data-shown="8"]').waitFor();
  });

  it('never draws two map labels over each other', async () => {
    const { page } = dashboard;
    await page.getByRole('button', { name: 'Fit fleet' }).click();
    // The zoom animation ends and the labels are laid out again.
    await page.waitForTimeout(1200);
    const boxes = (await mapMarkers(page)).flatMap((marker) => (marker.drawn && marker.label ? [marker.label] : []));
    assert.ok(boxes.length >= 3, `labels shown: ${boxes.length}`);
    for (const [index, a] of boxes.entries()) {
      for (const b of boxes.slice(index + 1)) {
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        assert.equal(overlap, false, `labels at ${JSON.stringify(a)} and ${JSON.stringify(b)} overlap`);
      }
    }
  });

  it('colours the live track of the selected unit by state', async () => {
    const { page } = dashboard;
    const unit = `${prefix}-103`;
    await fleetRow(page, unit).locator('button.row-select').click();
    await page.locator(`.detail[data-ambulance-id="${unit}"][data-track-loaded="true"]`).waitFor();
    await page.locator('path.live-track.live-red').first().waitFor({ state: 'attached' });
    assert.equal(await page.locator('path.live-track.live-orange').count(), 1, 'the 110 km/h start is ORANGE');
    assert.equal(await page.locator('path.live-track.live-red').count(), 1, 'the rest is RED');
  });

  it('writes every time in 24 hours, the replay range fields included', async () => {
    const { page } = dashboard;
    await page.getByRole('tab', { name: 'Replay', exact: true }).click();
    await page.getByText('Custom range').click();
    for (const field of await page.locator('.replay-range input').all()) {
      assert.match(await field.inputValue(), /^\d{4}-\d{2}-\d{2} ([01]\d|2[0-3]):[0-5]\d$/);
    }
    await page.getByRole('button', { name: 'Last 15 min' }).click();
    await page.locator('.replay[data-replay-status="ready"] .replay-player').waitFor();
    const text = await page.locator('body').innerText();
    assert.doesNotMatch(text, /\b(AM|PM|a\.m\.|p\.m\.)\b/i);
    const times = text.match(/\b\d{1,2}:\d{2}(:\d{2})?\b/g) ?? [];
    assert.ok(times.length > 5, `times shown: ${times.join(' ')}`);
    for (const time of times) assert.match(time, /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, time);
  });

  it('beeps for a new crash once sound is on, and remembers the setting in this browser', async () => {
    const { page } = dashboard;
    const toggle = page.locator('.sound-toggle');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.equal(await toggle.getAttribute('data-beeps'), '0');
    const crash = await postFields(`${app.url}${ENDPOINTS.crash}`, {
      ambulance_id: `${prefix}-105`,
      tracking_latitude: 45.47,
      tracking_longitude: -73.55,
      tracking_speed: 10,
      tracking_heading: 0,
    });
    assert.equal(crash.status, 200, crash.text);
    await page.locator('.alerts[data-alert-count="3"]').waitFor();
    await page.locator('.sound-toggle[data-beeps="1"]').waitFor();
    await page.reload();
    await page.locator('.app[data-ready="true"]').waitFor();
    assert.equal(await page.locator('.sound-toggle').getAttribute('aria-pressed'), 'true');
    assert.equal(
      await page.locator('.sound-toggle').getAttribute('data-beeps'),
      '0',
      'standing alerts do not beep again',
    );
  });

  it('beeps for a new crash on a computer whose clock runs minutes ahead of the server', async () => {
    // Crash times are the server's; the page learns the offset from its settings, after it has opened.
    const aheadMs = 3 * 60_000;
    const ahead = await openDashboard(browser, app.url, {
      viewport: { width: 1366, height: 768 },
      watch: (page) =>
        page.addInitScript({
          content: `{
            const RealDate = Date;
            class AheadDate extends RealDate {
              constructor(...args) { if (args.length === 0) super(RealDate.now() + ${aheadMs}); else super(...args); }
              static now() { return RealDate.now() + ${aheadMs}; }
            }
            globalThis.Date = AheadDate;
          }`,
        }),
    });
    try {
      const { page } = ahead;
      assert.ok(Number(await page.evaluate('Date.now()')) > Date.now() + aheadMs - 10_000, 'the page runs ahead');
      await page.locator('.sound-toggle').click();
      const ambulanceId = `${prefix}-106`;
      const crash = await postFields(`${app.url}${ENDPOINTS.crash}`, {
        ambulance_id: ambulanceId,
        tracking_latitude: 45.48,
        tracking_longitude: -73.56,
        tracking_speed: 12,
        tracking_heading: 0,
      });
      assert.equal(crash.status, 200, crash.text);
      await page.locator(`.alert[data-ambulance-id="${ambulanceId}"]`).waitFor();
      await page.locator('.sound-toggle[data-beeps="1"]').waitFor({ timeout: 5_000 });
      assert.deepEqual(ahead.consoleErrors, []);
    } finally {
      await ahead.close();
    }
  });

  it('is usable by keyboard: a unit chosen with Enter, tabs with the arrow keys, Escape back to the list', async () => {
    const { page } = dashboard;
    const unit = `${prefix}-104`;
    await page.getByRole('tab', { name: /^Fleet/ }).click();
    await fleetRow(page, unit).locator('button.row-select').focus();
    await page.keyboard.press('Enter');
    await page.locator(`.detail[data-ambulance-id="${unit}"]`).waitFor();
    await page.waitForFunction(() => {
      const scope = globalThis as unknown as { document: { activeElement: { id?: string } | null } };
      return scope.document.activeElement?.id === 'detail-title';
    });
    await page.getByRole('tab', { name: `Unit ${unit}` }).focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getByRole('tab', { name: 'Replay', exact: true }).getAttribute('aria-selected'), 'true');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.getByRole('tab', { name: `Unit ${unit}` }).getAttribute('aria-selected'), 'true');
    // Every state the page shows on the way back, as each change is made: never the unit's tab without a unit.
    await page.evaluate(`(() => {
      window.tabStates = [];
      new MutationObserver(() => {
        const selected = document.querySelector('[role="tab"][aria-selected="true"]');
        window.tabStates.push((document.querySelector('.detail') ? 'unit shown' : 'no unit') + ' / ' + selected?.id);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    })()`);
    await page.locator('#detail-title').focus();
    await page.keyboard.press('Escape');
    await page.locator('.detail').waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('tab', { name: /^Fleet/ }).getAttribute('aria-selected'), 'true');
    const states = (await page.evaluate('window.tabStates')) as string[];
    assert.deepEqual(
      states.filter((state) => state === 'no unit / tab-unit'),
      [],
      `states on the way back: ${states.join(', ')}`,
    );
  });
});
