import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { PMTiles, type Source, TileType } from 'pmtiles';
import { ConfigError, loadConfig } from '../src/config/env.config.js';
import { launchBrowser, openDashboard } from './helpers/browser.js';
import { TINY_PNG } from './helpers/http.client.js';
import { EMPTY_MVT, TILE_TYPE, writePmtiles } from './helpers/pmtiles.fixture.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const TILES = [
  { z: 0, x: 0, y: 0, data: TINY_PNG },
  { z: 1, x: 1, y: 0, data: Buffer.concat([TINY_PNG, Buffer.from([0])]) },
];

/** The archive as the `pmtiles` reader sees it, straight from memory. */
function bufferSource(archive: Buffer): Source {
  return {
    getKey: () => 'fixture',
    getBytes: async (offset, length) => ({
      data: archive.buffer.slice(archive.byteOffset + offset, archive.byteOffset + offset + length) as ArrayBuffer,
    }),
  };
}

/** A raw GET, so that the path reaches the server exactly as written (fetch would normalise "..").  */
function rawGet(url: string, pathname: string): Promise<{ status: number; body: string; type: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.get({ hostname, port, path: pathname }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body, type: String(response.headers['content-type']) }),
      );
    });
    request.on('error', reject);
  });
}

describe('dashboard: offline base map from a PMTiles file', () => {
  let directory: string;
  let rasterFile: string;
  let vectorFile: string;
  let archive: Buffer;
  let app: TestApp;
  let vectorApp: TestApp;
  let browser: Browser;
  let basemapUrl: string;

  before(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'aoc-basemap-'));
    rasterFile = path.join(directory, 'region.pmtiles');
    vectorFile = path.join(directory, 'vector.pmtiles');
    archive = await writePmtiles(rasterFile, TILES, TILE_TYPE.png);
    await writePmtiles(vectorFile, [{ z: 0, x: 0, y: 0, data: EMPTY_MVT }], TILE_TYPE.mvt);
    app = await startTestApp({ env: { DASHBOARD_PMTILES_PATH: rasterFile } });
    vectorApp = await startTestApp({ env: { DASHBOARD_PMTILES_PATH: vectorFile } });
    browser = await launchBrowser();
    basemapUrl = `${app.url}/dashboard/basemap.pmtiles`;
  });

  after(async () => {
    await closeAll(
      () => browser?.close(),
      () => app?.close(),
      () => vectorApp?.close(),
      () => rm(directory, { recursive: true, force: true }),
    );
  });

  it('test fixture: a valid PMTiles v3 archive, as the pmtiles reader reads it', async () => {
    const reader = new PMTiles(bufferSource(archive));
    const header = await reader.getHeader();
    assert.equal(header.specVersion, 3);
    assert.equal(header.tileType, TileType.Png);
    assert.equal(header.minZoom, 0);
    assert.equal(header.maxZoom, 1);
    for (const tile of TILES) {
      const read = await reader.getZxy(tile.z, tile.x, tile.y);
      assert.ok(read, `tile ${tile.z}/${tile.x}/${tile.y}`);
      assert.deepEqual(Buffer.from(read.data), Buffer.from(tile.data));
    }
    assert.equal(await reader.getZxy(1, 0, 0), undefined);
  });

  it('refuses a DASHBOARD_PMTILES_PATH that names no file, at start-up', () => {
    assert.throws(
      () => loadConfig({ DASHBOARD_PMTILES_PATH: path.join(directory, 'missing.pmtiles') }),
      (error: unknown) => error instanceof ConfigError && error.message.includes('DASHBOARD_PMTILES_PATH'),
    );
    assert.throws(
      () => loadConfig({ DASHBOARD_PMTILES_PATH: directory }),
      (error: unknown) => error instanceof ConfigError && error.message.includes('must name an existing file'),
    );
  });

  it('tells the dashboard where the base map is', async () => {
    const settings = (await (await fetch(`${app.url}/dashboard/config.json`)).json()) as { pmtilesUrl: string };
    assert.equal(settings.pmtilesUrl, '/dashboard/basemap.pmtiles');
  });

  it('serves byte ranges with 206 and the whole file with 200', async () => {
    const range = await fetch(basemapUrl, { headers: { Range: 'bytes=0-126' } });
    assert.equal(range.status, 206);
    assert.equal(range.headers.get('content-range'), `bytes 0-126/${archive.length}`);
    assert.equal(range.headers.get('accept-ranges'), 'bytes');
    assert.deepEqual(Buffer.from(await range.arrayBuffer()), archive.subarray(0, 127));

    const middle = await fetch(basemapUrl, { headers: { Range: 'bytes=127-130' } });
    assert.equal(middle.status, 206);
    assert.deepEqual(Buffer.from(await middle.arrayBuffer()), archive.subarray(127, 131));

    const whole = await fetch(basemapUrl);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('content-type'), 'application/vnd.pmtiles');
    assert.deepEqual(Buffer.from(await whole.arrayBuffer()), archive);
  });

  it('answers 416 to a range past the end of the file', async () => {
    const response = await fetch(basemapUrl, { headers: { Range: `bytes=${archive.length}-` } });
    assert.equal(response.status, 416);
    assert.equal(response.headers.get('content-range'), `bytes */${archive.length}`);
    await response.arrayBuffer();
  });

  it('is read by the pmtiles reader over HTTP', async () => {
    const reader = new PMTiles(basemapUrl);
    const tile = await reader.getZxy(1, 1, 0);
    assert.ok(tile);
    assert.deepEqual(Buffer.from(tile.data), Buffer.from(TILES[1]?.data ?? []));
  });

  it('serves no other file, whatever the path', async () => {
    for (const pathname of [
      '/dashboard/basemap.pmtiles/../../package.json',
      '/dashboard/basemap.pmtiles/..%2f..%2fpackage.json',
      '/dashboard/..%2f..%2fpackage.json',
      '/dashboard/%2e%2e/%2e%2e/package.json',
      `/dashboard/${encodeURIComponent(rasterFile)}`,
      '/dashboard/basemap.pmtiles%00.json',
      '/dashboard/assets/..%2f..%2f..%2fpackage.json',
    ]) {
      const response = await rawGet(app.url, pathname);
      assert.doesNotMatch(response.body, /"ambulance-tracking"|PMTiles/, pathname);
      assert.notEqual(response.type, 'application/vnd.pmtiles', pathname);
    }
  });

  it('draws raster tiles from the archive under the fleet in the browser', async () => {
    const dashboard = await openDashboard(browser, app.url);
    try {
      await dashboard.page.locator('.map[data-basemap="pmtiles-raster"]').waitFor();
      // Tiles the archive holds are drawn from blob: URLs of their bytes; the others stay empty.
      await dashboard.page.waitForFunction(() => {
        const scope = globalThis as unknown as {
          document: { querySelectorAll(css: string): ArrayLike<{ src: string; naturalWidth: number }> };
        };
        return Array.from(scope.document.querySelectorAll('.leaflet-tile-pane img.leaflet-tile-loaded')).some(
          (image) => image.src.startsWith('blob:') && image.naturalWidth > 0,
        );
      });
      assert.deepEqual(dashboard.consoleErrors, []);
    } finally {
      await dashboard.close();
    }
  });

  it('draws a vector archive with protomaps-leaflet', async () => {
    const dashboard = await openDashboard(browser, vectorApp.url);
    try {
      await dashboard.page.locator('.map[data-basemap="pmtiles-vector"]').waitFor();
      await dashboard.page.locator('.leaflet-tile-pane canvas.leaflet-tile').first().waitFor({ state: 'attached' });
      assert.deepEqual(dashboard.consoleErrors, []);
    } finally {
      await dashboard.close();
    }
  });
});
