import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from 'playwright-core';
import { type DashboardPage, fleetRow, launchBrowser, openDashboard } from './helpers/browser.js';
import { ENDPOINTS, postFields } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

/** A drive through three speed states: GREEN, ORANGE, RED, then GREEN again. */
const SPEEDS = [35, 52, 70, 88, 104, 118, 126, 139, 121, 95, 66, 40];

describe('dashboard: history replay in a real browser', () => {
  let app: TestApp;
  let browser: Browser;
  let dashboard: DashboardPage;
  const ambulanceId = 'replay-7';

  before(async () => {
    // Small pages, so that loading the range takes several history requests.
    app = await startTestApp({ env: { HISTORY_MAX_PAGE_SIZE: '5', HISTORY_DEFAULT_PAGE_SIZE: '5' } });
    browser = await launchBrowser();
    for (const [index, speed] of SPEEDS.entries()) {
      const result = await postFields(`${app.url}${ENDPOINTS.tracking}`, {
        ambulance_id: ambulanceId,
        tracking_latitude: 45.5 + index * 0.002,
        tracking_longitude: -73.6 + index * 0.003,
        tracking_speed: speed,
        tracking_heading: 45,
      });
      assert.equal(result.status, 200, result.text);
      // Spread over more than 750 ms, so the scrub slider moves in steps of more than 1 ms.
      await sleep(80);
    }
    await app.app.trackingWriter.drained();
    dashboard = await openDashboard(browser, app.url);
  });

  after(async () => {
    await closeAll(
      () => dashboard?.close(),
      () => browser?.close(),
      () => app?.close(),
    );
  });

  it('loads a range page by page and draws the track coloured by state, with the speed chart', async () => {
    const { page } = dashboard;
    await fleetRow(page, ambulanceId).locator('button.row-select').click();
    await page.locator('.detail[data-track-loaded="true"]').waitFor();
    const historyRequests: Array<{ variables: { first: number } }> = [];
    page.on('request', (request) => {
      const body = request.url().endsWith('/graphql') ? JSON.parse(request.postData() ?? '{}') : {};
      // The replay's reads are the ones bounded by `to` (the live track reads have no upper bound).
      if (String(body.query).includes('TrackingHistory') && body.variables?.to) historyRequests.push(body);
    });
    await page.getByRole('tab', { name: 'Replay', exact: true }).click();
    await page.getByRole('button', { name: 'Last 15 min' }).click();
    await page.locator('.replay[data-replay-status="ready"]').waitFor();
    await page.locator(`.map[data-replay-points="${SPEEDS.length}"]`).waitFor();
    assert.equal(historyRequests.length, 3, 'twelve points in pages of five');
    assert.ok(historyRequests.every((body) => body.variables.first === 5));
    const segments = await page.locator('path.replay-track').count();
    assert.equal(segments, 5, 'GREEN, ORANGE, RED, ORANGE, GREEN runs');
    assert.equal(await page.locator('path.replay-red').count(), 1);
    assert.equal(await page.locator(`.speed-chart[data-chart-points="${SPEEDS.length}"] canvas`).count(), 1);
    assert.match(
      await page.locator('.speed-chart figcaption').innerText(),
      /Highest 139 km\/h; 7 of 12 reports above 80 km\/h, 3 above 120/,
    );
    assert.match(await page.locator('.replay-player').innerText(), /12 positions/);
  });

  it('plays to the end at the chosen speed, and scrubs back by keyboard', async () => {
    const { page } = dashboard;
    const player = page.locator('.replay-player');
    assert.equal(await player.getAttribute('data-replay-index'), '0');
    await page.locator('.replay-controls select').selectOption('300');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page
      .locator(`.replay-player[data-replay-index="${SPEEDS.length - 1}"][data-replay-playing="false"]`)
      .waitFor();
    assert.match(await page.locator('.replay-now').innerText(), /40 km\/h[\s\S]*report 12 of 12/);
    assert.equal(await page.locator('path.replay-position').count(), 1);
    await dashboard.screenshot('dashboard-replay');

    const slider = page.locator('.scrub input[type="range"]');
    const attribute = async (name: string) => Number(await slider.getAttribute(name));
    const [min, max, step] = [await attribute('min'), await attribute('max'), await attribute('step')];
    const value = Number(await slider.inputValue());
    assert.ok(step > 1, `a range of ${max - min} ms moves in steps of ${step} ms`);
    // Off its grid, the browser would move the value, and the controlled slider would stop following the replay.
    assert.equal((max - min) % step, 0, `the slider's end is on its grid (${min}..${max} by ${step})`);
    assert.equal((value - min) % step, 0, `the slider's value ${value} is on its grid`);
    await slider.focus();
    await page.keyboard.press('Home');
    await page.locator('.replay-player[data-replay-index="0"]').waitFor();
    assert.match(await page.locator('.replay-now').innerText(), /35 km\/h[\s\S]*report 1 of 12/);
  });

  it('says so when a range holds no positions', async () => {
    const { page } = dashboard;
    await page.getByText('Custom range').click();
    await page.locator('.replay-range input').first().fill('2020-01-01T00:00');
    await page.locator('.replay-range input').nth(1).fill('2020-01-01T01:00');
    await page.getByRole('button', { name: 'Load range' }).click();
    await page.locator('.replay[data-replay-status="ready"]').getByText('No positions between').waitFor();
    await page.locator('.map[data-replay-points="0"]').waitFor();
  });

  it('refuses a day the month does not have, instead of replaying another day', async () => {
    const { page } = dashboard;
    await page.locator('.replay-range input').first().fill('2026-02-31 10:00');
    await page.locator('.replay-range input').nth(1).fill('2026-03-01 10:00');
    await page.getByRole('button', { name: 'Load range' }).click();
    const error = page.locator('.replay[data-replay-status="error"] .field-error');
    await error.waitFor();
    assert.match(await error.innerText(), /YYYY-MM-DD HH:MM, a day and local time that exist/);
  });

  it('logged no console errors', () => {
    assert.deepEqual(dashboard.consoleErrors, []);
  });
});
