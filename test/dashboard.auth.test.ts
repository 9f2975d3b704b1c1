import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { type DashboardPage, launchBrowser, openDashboard } from './helpers/browser.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const TOKEN = 'header.payload.signature';

describe('dashboard: access token (CONTRACTS.md)', () => {
  let app: TestApp;
  let browser: Browser;
  let dashboard: DashboardPage | undefined;

  before(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
  });

  after(async () => {
    await closeAll(
      () => dashboard?.close(),
      () => browser?.close(),
      () => app?.close(),
    );
  });

  it('takes the token from #token=, drops it from the address, and sends it over HTTP and WebSocket', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const authorizations: Array<string | undefined> = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql')) authorizations.push(request.headers().authorization);
    });
    const initPayloads: string[] = [];
    page.on('websocket', (socket) =>
      socket.on('framesent', (frame) => {
        if (typeof frame.payload === 'string' && frame.payload.includes('connection_init'))
          initPayloads.push(frame.payload);
      }),
    );
    try {
      await page.goto(`${app.url}/dashboard/#token=${TOKEN}`);
      await page.locator('.app[data-ready="true"]').waitFor();
      await page.locator('.connection[data-connection-state="connected"]').waitFor();
      assert.equal(new URL(page.url()).hash, '');
      assert.equal(await page.evaluate('sessionStorage.getItem("aoc.dashboard.token")'), TOKEN);
      assert.ok(authorizations.length > 0);
      assert.ok(
        authorizations.every((value) => value === `Bearer ${TOKEN}`),
        JSON.stringify(authorizations),
      );
      assert.equal(initPayloads.length, 1);
      assert.deepEqual(JSON.parse(initPayloads[0] as string).payload, { authorization: `Bearer ${TOKEN}` });
      assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 1);
    } finally {
      await context.close();
    }
  });

  it('shows the sign-in panel with the reason when the live connection is refused (close 4403), and signs in', async () => {
    const opened = await openDashboard(browser, app.url, {
      // The refused WebSocket below is this test's doing.
      allowConsoleErrors: [/WebSocket/],
    });
    dashboard = opened;
    const { page } = opened;
    let refuse = true;
    // Stands in for the security branch's server until it lands: refuse connections whose token is not accepted.
    await page.routeWebSocket(/\/graphql$/, (socket) => {
      if (refuse) {
        socket.close({ code: 4403, reason: 'Forbidden' });
        return;
      }
      socket.connectToServer();
    });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#token-field').fill(`Bearer ${TOKEN}`);
    await page.getByRole('button', { name: 'Sign in' }).last().click();
    await page.locator('.sign-in-reason[data-reason="unauthenticated"]').waitFor();
    assert.match(await page.locator('.sign-in-reason').innerText(), /Forbidden/);
    assert.match(await page.locator('.connection').innerText(), /SIGN-IN NEEDED/);
    assert.equal(
      await page.locator('#token-field').evaluate((field) => field === field.ownerDocument.activeElement),
      true,
    );
    await opened.screenshot('dashboard-sign-in');

    refuse = false;
    await page.locator('#token-field').fill(TOKEN);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('.connection[data-connection-state="connected"]').waitFor();
    assert.equal(await page.locator('.sign-in').count(), 0);
    assert.deepEqual(opened.consoleErrors, []);
  });
});
