import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { ConfigError, loadConfig } from '../config/env.config.js';
import { createDashboardRouter, DASHBOARD_PATH, dashboardSettings } from './dashboard.router.js';

async function serve(router: express.Router): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.use(DASHBOARD_PATH, router);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('dashboard settings', () => {
  it('have safe defaults', () => {
    const config = loadConfig({});
    assert.equal(config.DASHBOARD_STALE_AFTER_SECONDS, 60);
    assert.equal(config.DASHBOARD_ALERT_LOOKBACK_MINUTES, 30);
    assert.equal(config.DASHBOARD_TILE_URL, undefined);
    assert.equal(config.DASHBOARD_TILE_ATTRIBUTION, undefined);
  });

  it('refuse values the dashboard could not use, naming the variable', () => {
    for (const [variable, value] of [
      ['DASHBOARD_STALE_AFTER_SECONDS', '0'],
      ['DASHBOARD_STALE_AFTER_SECONDS', '1m'],
      ['DASHBOARD_ALERT_LOOKBACK_MINUTES', '99999'],
      ['DASHBOARD_TILE_URL', 'tiles.example/{z}/{x}/{y}.png'],
      ['DASHBOARD_TILE_URL', 'https://tiles.example/{x}/{y}.png'],
    ] as const) {
      assert.throws(
        () => loadConfig({ [variable]: value }),
        (error: unknown) => error instanceof ConfigError && error.message.includes(variable),
        `${variable}=${value}`,
      );
    }
    assert.equal(
      loadConfig({ DASHBOARD_TILE_URL: 'https://tiles.example/{z}/{x}/{y}.png' }).DASHBOARD_TILE_URL,
      'https://tiles.example/{z}/{x}/{y}.png',
    );
  });
});

describe('dashboard router', () => {
  let directory: string;
  let built: { url: string; close: () => Promise<void> };
  let notBuilt: { url: string; close: () => Promise<void> };

  before(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'aoc-dashboard-'));
    await mkdir(path.join(directory, 'assets'));
    await writeFile(path.join(directory, 'index.html'), '<!doctype html><title>dashboard</title>');
    await writeFile(path.join(directory, 'assets', 'index-abc123.js'), 'console.log(1)');
    const config = loadConfig({
      DASHBOARD_STALE_AFTER_SECONDS: '45',
      DASHBOARD_TILE_URL: 'https://tiles.example:8443/{z}/{x}/{y}.png',
      DASHBOARD_TILE_ATTRIBUTION: '© Example',
    });
    built = await serve(createDashboardRouter(config, directory));
    notBuilt = await serve(createDashboardRouter(loadConfig({}), path.join(directory, 'missing')));
  });

  after(async () => {
    await built.close();
    await notBuilt.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('redirects /dashboard to /dashboard/, keeping the query', async () => {
    const response = await fetch(`${built.url}/dashboard?wall=1`, { redirect: 'manual' });
    assert.equal(response.status, 301);
    assert.equal(response.headers.get('location'), '/dashboard/?wall=1');
  });

  it('serves the page uncached, with a content security policy allowing the tile server', async () => {
    for (const page of ['/dashboard/', '/dashboard/some/deep/link']) {
      const response = await fetch(`${built.url}${page}`);
      assert.equal(response.status, 200, page);
      assert.match(await response.text(), /<title>dashboard<\/title>/);
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /img-src 'self' data: blob: https:\/\/tiles\.example:8443/);
      assert.match(csp, /frame-ancestors 'none'/);
    }
  });

  it('serves hashed assets for good and answers 404 for unknown ones', async () => {
    const asset = await fetch(`${built.url}/dashboard/assets/index-abc123.js`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    const missing = await fetch(`${built.url}/dashboard/assets/index-old.js`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /reload/);
  });

  it('serves no source map in production, however the path is written (outside production it does)', async () => {
    await writeFile(path.join(directory, 'assets', 'index-abc123.js.map'), '{"version":3,"sources":["secret.tsx"]}');
    const production = await serve(
      createDashboardRouter(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }), directory),
    );
    try {
      for (const asset of [
        'index-abc123.js.map',
        'index-abc123.js%2Emap',
        'index-abc123.js.MAP',
        'index-abc123.js%2emap',
      ]) {
        const response = await fetch(`${production.url}/dashboard/assets/${asset}`);
        assert.equal(response.status, 404, asset);
        assert.doesNotMatch(await response.text(), /secret\.tsx/, asset);
      }
      assert.equal((await fetch(`${production.url}/dashboard/assets/index-abc123.js`)).status, 200);
    } finally {
      await production.close();
    }
    assert.equal((await fetch(`${built.url}/dashboard/assets/index-abc123.js.map`)).status, 200);
  });

  it('gives the client its settings and the server time', async () => {
    const response = await fetch(`${built.url}/dashboard/config.json`);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.staleAfterSeconds, 45);
    assert.equal(body.alertLookbackMinutes, 30);
    assert.equal(body.tileUrl, 'https://tiles.example:8443/{z}/{x}/{y}.png');
    assert.equal(body.tileAttribution, '© Example');
    assert.equal(body.maxPageSize, 500);
    assert.ok(Math.abs(Date.parse(String(body.serverTime)) - Date.now()) < 60_000);
    assert.equal(body.signInRequired, false);
  });

  it('asks for a sign-in only when tokens are checked (JWT_SECRET or JWT_JWKS_URL)', () => {
    assert.equal(dashboardSettings(loadConfig({})).signInRequired, false);
    assert.equal(dashboardSettings(loadConfig({ JWT_SECRET: 'x'.repeat(32) })).signInRequired, true);
    const jwks = loadConfig({
      JWT_JWKS_URL: 'https://id.example/.well-known/jwks.json',
      JWT_ISSUER: 'https://id.example/',
      JWT_AUDIENCE: 'ambulance-tracking',
    });
    assert.equal(dashboardSettings(jwks).signInRequired, true);
  });

  it('says how to build the dashboard when it is not built', async () => {
    const response = await fetch(`${notBuilt.url}/dashboard/`);
    assert.equal(response.status, 503);
    assert.match(await response.text(), /npm run build/);
  });
});
