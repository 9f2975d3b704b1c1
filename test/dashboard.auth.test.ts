import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { mintToken, startSecuredTestApp } from './helpers/auth.helpers.js';
import {
  type DashboardPage,
  drawnMarker,
  fleetRow,
  launchBrowser,
  mapMarker,
  openDashboard,
} from './helpers/browser.js';
import { ENDPOINTS, postFields, postImages, TINY_PNG, trackingFields } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import type { TestApp } from './helpers/test-app.js';
import { waitForSubscribers } from './helpers/test-app.js';
import { uniqueName, waitUntil } from './helpers/test-env.js';

/** Chromium logs every HTTP error response of a fetch; a 401 to a request without a valid token is expected. */
const REFUSED_REQUEST = /the server responded with a status of 401/;
/** Subscriptions the dashboard keeps open without a selection: fleet positions and crashes. */
const FLEET_SUBSCRIPTIONS = 2;

/** What the page sends and receives about authentication, recorded from before it loads. */
interface AuthTraffic {
  /** The Authorization header of every GraphQL HTTP request. */
  readonly authorizations: Array<string | undefined>;
  /** The HTTP status of every GraphQL response. */
  readonly statuses: number[];
  /** The payload of every graphql-ws connection_init sent. */
  readonly initPayloads: unknown[];
  /** Every text frame the server sent over the WebSockets. */
  readonly received: string[];
  sockets: number;
}

function watchAuth(page: Page): AuthTraffic {
  const traffic: AuthTraffic = { authorizations: [], statuses: [], initPayloads: [], received: [], sockets: 0 };
  page.on('request', (request) => {
    if (request.url().endsWith('/graphql')) traffic.authorizations.push(request.headers().authorization);
  });
  page.on('response', (response) => {
    if (response.url().endsWith('/graphql')) traffic.statuses.push(response.status());
  });
  page.on('websocket', (socket) => {
    traffic.sockets += 1;
    socket.on('framesent', (frame) => {
      if (typeof frame.payload !== 'string') return;
      const message = JSON.parse(frame.payload) as { type?: string; payload?: unknown };
      if (message.type === 'connection_init') traffic.initPayloads.push(message.payload);
    });
    socket.on('framereceived', (frame) => {
      if (typeof frame.payload === 'string') traffic.received.push(frame.payload);
    });
  });
  return traffic;
}

async function postPoint(app: TestApp, ambulanceId: string, speed: number): Promise<void> {
  const result = await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields(ambulanceId, speed));
  assert.equal(result.status, 200, result.text);
}

/** Fills the sign-in field and submits it by keyboard, as a dispatcher pasting a token does. */
async function pasteToken(page: Page, text: string): Promise<void> {
  await page.locator('#token-field').fill(text);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
}

describe('dashboard: access tokens against a server that requires them (JWT_SECRET)', () => {
  let app: TestApp;
  let browser: Browser;
  let dashboard: DashboardPage | undefined;
  const prefix = uniqueName('auth').slice(-6);
  const scoped = `${prefix}-1`;
  const other = `${prefix}-2`;

  const open = async (options: Parameters<typeof openDashboard>[2] = {}) => {
    dashboard = await openDashboard(browser, app.url, options);
    return dashboard;
  };

  before(async () => {
    // No clock tolerance, so an expiring token's WebSocket is closed the moment the token expires.
    app = await startSecuredTestApp({ env: { JWT_CLOCK_TOLERANCE_SECONDS: '0' } });
    browser = await launchBrowser();
    await postPoint(app, scoped, 42);
    await postPoint(app, other, 96);
    const upload = await postImages(app.url, scoped, [{ field: 'image0', data: TINY_PNG }]);
    assert.equal(upload.status, 200, upload.text);
    await app.app.trackingWriter.drained();
  });

  afterEach(async () => {
    await dashboard?.close();
    dashboard = undefined;
    // Each test starts with no dashboard subscribed.
    await waitUntil(() => app.app.subscriptions.activeSubscribers === 0, { message: 'no subscribers left' });
  });

  after(async () => {
    await closeAll(
      () => dashboard?.close(),
      () => browser?.close(),
      () => app?.close(),
    );
  });

  it('without a token shows the sign-in panel with the server’s reason; a pasted dispatcher token shows the fleet', async () => {
    let traffic: AuthTraffic | undefined;
    const { page, consoleErrors, screenshot } = await open({
      waitForFleet: false,
      allowConsoleErrors: [REFUSED_REQUEST],
      watch: (watched) => {
        traffic = watchAuth(watched);
      },
    });
    assert.ok(traffic);
    await page.locator('.sign-in-reason[data-reason="unauthenticated"]').waitFor();
    // Tokens are checked (JWT_SECRET), so the top bar offers the sign-in.
    assert.equal(await page.locator('header.top-bar').getByRole('button', { name: 'Sign in' }).count(), 1);
    // Refused both ways: the queries with 401 UNAUTHENTICATED, the WebSocket closed with 4403.
    await page.locator('.connection[data-connection-state="refused"]').waitFor();
    assert.match(await page.locator('.connection').innerText(), /SIGN-IN NEEDED/);
    assert.ok(traffic.statuses.includes(401), `statuses: ${traffic.statuses.join(', ')}`);
    assert.ok(traffic.authorizations.every((value) => value === undefined));
    assert.deepEqual(traffic.initPayloads, [{}]);
    // The reason the server gave over HTTP, not just the WebSocket's bare "Forbidden".
    assert.match(await page.locator('.sign-in-reason').innerText(), /a bearer token is required/);
    assert.equal(await page.locator('tr.fleet-row').count(), 0);
    assert.equal(
      await page.locator('#token-field').evaluate((field) => field === field.ownerDocument.activeElement),
      true,
    );
    await screenshot('dashboard-sign-in');

    const token = await mintToken('dispatcher', { subject: 'dispatch-desk-1' });
    const signedInAt = traffic.authorizations.length;
    await pasteToken(page, `Bearer ${token}`);
    await page.locator('.connection[data-connection-state="connected"]').waitFor();
    await fleetRow(page, scoped).waitFor();
    await fleetRow(page, other).waitFor();
    await drawnMarker(page, other);
    assert.equal(await page.locator('.sign-in').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 1);
    const sent = traffic.authorizations.slice(signedInAt);
    assert.ok(sent.length > 0);
    assert.ok(
      sent.every((value) => value === `Bearer ${token}`),
      'every query after signing in carries the token',
    );
    assert.deepEqual(traffic.initPayloads.at(-1), { authorization: `Bearer ${token}` });
    assert.equal(await page.evaluate('sessionStorage.getItem("aoc.dashboard.token")'), token);
    assert.deepEqual(consoleErrors, []);
  });

  it('takes the token from #token=, drops it from the address, and sends it over HTTP and WebSocket', async () => {
    const token = await mintToken('dispatcher');
    let traffic: AuthTraffic | undefined;
    const { page, consoleErrors } = await open({
      hash: `#token=${token}`,
      watch: (watched) => {
        traffic = watchAuth(watched);
      },
    });
    assert.ok(traffic);
    await page.locator('.connection[data-connection-state="connected"]').waitFor();
    assert.equal(new URL(page.url()).hash, '');
    assert.equal(await page.evaluate('sessionStorage.getItem("aoc.dashboard.token")'), token);
    assert.ok(traffic.authorizations.length > 0);
    assert.ok(
      traffic.authorizations.every((value) => value === `Bearer ${token}`),
      JSON.stringify(traffic.authorizations),
    );
    assert.ok(
      traffic.statuses.every((status) => status === 200),
      `statuses: ${traffic.statuses.join(', ')}`,
    );
    assert.deepEqual(traffic.initPayloads, [{ authorization: `Bearer ${token}` }]);
    assert.equal(await page.locator('tr.fleet-row').count(), 2);
    assert.equal(await page.locator('.sign-in').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 1);
    assert.deepEqual(consoleErrors, []);
  });

  it('ends with the sign-in panel when the token expires, without reconnecting, and resumes with a new token', async () => {
    // Long enough to load and connect on a busy machine; the server closes the WebSocket when it expires.
    const expiring = await mintToken('dispatcher', { expiresIn: 8 });
    let traffic: AuthTraffic | undefined;
    const { page, consoleErrors } = await open({
      hash: `#token=${expiring}`,
      allowConsoleErrors: [REFUSED_REQUEST],
      watch: (watched) => {
        traffic = watchAuth(watched);
      },
    });
    assert.ok(traffic);
    await page.locator('.connection[data-connection-state="connected"]').waitFor();
    await page.locator('.sign-in-reason[data-reason="unauthenticated"]').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('.sign-in-reason').innerText(), /token expired/);
    await page.locator('.connection[data-connection-state="refused"]').waitFor();
    assert.ok(
      traffic.received.some((frame) => frame.includes('connection_ack')),
      'it was connected before the token expired',
    );
    assert.equal(traffic.sockets, 1);
    await waitUntil(() => app.app.subscriptions.activeSubscribers === 0, { message: 'the server ended them' });
    // A reconnection loop would open another socket within a second or two (its first retry is after ~0.5 s).
    await delay(3_000);
    assert.equal(traffic.sockets, 1, 'no reconnection with the expired token');
    assert.equal(await page.locator('.connection').getAttribute('data-connection-state'), 'refused');
    assert.equal(await page.locator('.sign-in').count(), 1);

    const renewed = await mintToken('dispatcher');
    await pasteToken(page, renewed);
    await page.locator('.connection[data-connection-state="connected"]').waitFor();
    assert.equal(await page.locator('.sign-in').count(), 0);
    assert.deepEqual(traffic.initPayloads.at(-1), { authorization: `Bearer ${renewed}` });
    await waitForSubscribers(app, FLEET_SUBSCRIPTIONS);
    await postPoint(app, other, 131);
    await page.locator(`tr.fleet-row[data-ambulance-id="${other}"][data-state="RED"]`).waitFor();
    assert.deepEqual(consoleErrors, []);
  });

  it('shows a partner only the ambulance its token lists, and only its live updates, after a dispatcher signs out', async () => {
    const dispatcher = await mintToken('dispatcher');
    let traffic: AuthTraffic | undefined;
    const { page, consoleErrors } = await open({
      hash: `#token=${dispatcher}`,
      // Between signing out and pasting the partner's token the dashboard has no token.
      allowConsoleErrors: [REFUSED_REQUEST],
      watch: (watched) => {
        traffic = watchAuth(watched);
      },
    });
    assert.ok(traffic);
    await page.locator('.connection[data-connection-state="connected"]').waitFor();
    await fleetRow(page, other).locator('button.row-select').click();
    await page.locator(`.detail[data-ambulance-id="${other}"][data-track-loaded="true"]`).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('.sign-in-reason[data-reason="unauthenticated"]').waitFor();
    const partner = await mintToken('partner', { ambulances: [scoped], subject: 'partner-acme' });
    await pasteToken(page, partner);
    await page.locator('.connection[data-connection-state="connected"]').waitFor();
    const receivedBefore = traffic.received.length;
    // What the dispatcher's token showed of the other ambulance is gone: its row, marker and open detail.
    await page.locator(`.detail[data-ambulance-id="${other}"]`).waitFor({ state: 'detached' });
    await fleetRow(page, other).waitFor({ state: 'detached' });
    assert.equal(await page.locator('tr.fleet-row').count(), 1);
    assert.equal(await fleetRow(page, scoped).count(), 1);
    await waitUntil(async () => (await mapMarker(page, other)) === undefined, { message: 'the other marker gone' });
    await drawnMarker(page, scoped);
    await waitForSubscribers(app, FLEET_SUBSCRIPTIONS);

    // The other ambulance's point is stored and published first, on the same fleet channel.
    await postPoint(app, other, 20);
    await postPoint(app, scoped, 127);
    await page.locator(`tr.fleet-row[data-ambulance-id="${scoped}"][data-state="RED"]`).waitFor();
    assert.match(await fleetRow(page, scoped).locator('td.speed').innerText(), /127 km\/h/);
    assert.equal(await page.locator('tr.fleet-row').count(), 1);
    await drawnMarker(page, scoped, (marker) => marker.state === 'RED');
    assert.equal(await mapMarker(page, other), undefined, 'the out-of-scope point draws no marker');
    const sincePartner = traffic.received.slice(receivedBefore);
    assert.ok(
      sincePartner.some((frame) => frame.includes(scoped)),
      'the scoped ambulance’s update came over the WebSocket',
    );
    assert.deepEqual(
      sincePartner.filter((frame) => frame.includes(other)),
      [],
      'nothing about the other ambulance reached the browser',
    );

    await fleetRow(page, scoped).locator('button.row-select').click();
    await page.locator(`.detail[data-ambulance-id="${scoped}"][data-track-loaded="true"]`).waitFor();
    await page.locator('.snapshots[data-snapshot-count="1"]').waitFor();
    // With a secret the server signs image URLs; the page shows them as given and the browser may load them.
    const imageUrl = (await page.locator('.snapshots img').first().getAttribute('src')) ?? '';
    assert.match(imageUrl, /^\/uploads\/ambulance_images\/.+\?expires=\d+&signature=[\w-]+$/);
    assert.equal(await page.evaluate(async (url) => (await fetch(url)).status, imageUrl), 200);
    assert.deepEqual(consoleErrors, []);
  });

  it('says why a token that may not read positions is refused (FORBIDDEN), and does not retry it', async () => {
    const device = await mintToken('device', { ambulances: [scoped] });
    let subscribes = 0;
    const { page, consoleErrors } = await open({
      hash: `#token=${device}`,
      waitForFleet: false,
      watch: (watched) =>
        watched.on('websocket', (socket) =>
          socket.on('framesent', (frame) => {
            if (typeof frame.payload === 'string' && frame.payload.includes('"subscribe"')) subscribes += 1;
          }),
        ),
    });
    await page.locator('.sign-in-reason[data-reason="forbidden"]').waitFor();
    assert.match(await page.locator('.sign-in-reason').innerText(), /Not permitted: the device role may not use/);
    await page.locator('.connection[data-connection-state="refused"]').waitFor();
    assert.equal(await page.locator('tr.fleet-row').count(), 0);
    // The refusal shows with the first refused subscription (the dispatch event feed, sent at once); positions
    // and crashes are sent once their catch-up reads end.
    const feeds = FLEET_SUBSCRIPTIONS + 1;
    await waitUntil(() => subscribes >= feeds, { message: 'each of the page’s subscriptions sent once' });
    const subscribed = subscribes;
    assert.ok(subscribed >= FLEET_SUBSCRIPTIONS);
    // A subscription restarted after each refusal would subscribe again about every second.
    await delay(3_000);
    assert.equal(subscribes, subscribed, 'refused subscriptions are not started again');
    assert.deepEqual(consoleErrors, []);
  });
});
