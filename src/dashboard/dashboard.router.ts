import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import type { AppConfig } from '../config/env.config.js';
import type { DashboardSettings } from './dashboard.settings.js';

export const DASHBOARD_PATH = '/dashboard';

/** Where the offline base map (DASHBOARD_PMTILES_PATH) is served; the browser reads it by HTTP range requests. */
export const BASEMAP_PATH = '/basemap.pmtiles';

/** Where `npm run build` puts the built client: dist/dashboard, beside dist/src. */
export const DEFAULT_DASHBOARD_DIR = path.resolve(import.meta.dirname, '..', '..', 'dashboard');

/** The dashboard settings for this configuration, with the server's current time. */
export function dashboardSettings(config: AppConfig, now = new Date()): DashboardSettings {
  return {
    staleAfterSeconds: config.DASHBOARD_STALE_AFTER_SECONDS,
    offlineAfterSeconds: config.OFFLINE_AFTER_SECONDS,
    alertLookbackMinutes: config.DASHBOARD_ALERT_LOOKBACK_MINUTES,
    tileUrl: config.DASHBOARD_TILE_URL ?? null,
    tileAttribution: config.DASHBOARD_TILE_ATTRIBUTION ?? null,
    pmtilesUrl: config.DASHBOARD_PMTILES_PATH ? `${DASHBOARD_PATH}${BASEMAP_PATH}` : null,
    maxPageSize: config.HISTORY_MAX_PAGE_SIZE,
    serverTime: now.toISOString(),
    signInRequired: Boolean(config.JWT_SECRET || config.JWT_JWKS_URL),
  };
}

/** Whether a request names a source map, however its path is encoded (static serving decodes it). */
function isSourceMap(request: Request): boolean {
  try {
    return decodeURIComponent(request.path).toLowerCase().endsWith('.map');
  } catch {
    return false;
  }
}

function contentSecurityPolicy(tileUrl: string | undefined): string {
  const tileOrigin = tileUrl ? ` ${new URL(tileUrl.replace(/\{[a-z]\}/g, 'x')).origin}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Leaflet and React set element styles; inline style attributes stay harmless without inline scripts.
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${tileOrigin}`,
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Serves the built dispatcher dashboard under /dashboard: hashed assets cached for good, index.html never
 * cached (so a deploy reaches every wall display on its next load), and the dashboard settings as JSON.
 */
export function createDashboardRouter(config: AppConfig, directory = DEFAULT_DASHBOARD_DIR): Router {
  const router = express.Router();
  const indexFile = path.join(directory, 'index.html');
  const csp = contentSecurityPolicy(config.DASHBOARD_TILE_URL);

  router.get('/config.json', (_request, response) => {
    response.setHeader('Cache-Control', 'no-store');
    response.json(dashboardSettings(config));
  });

  const noSuchAsset = (_request: Request, response: Response) => {
    response
      .status(404)
      .type('text/plain')
      .send('No such dashboard asset (the dashboard may have been rebuilt: reload).');
  };
  // Source maps would hand anyone the dashboard's source: kept beside the build for debugging, never served
  // in production.
  if (config.NODE_ENV === 'production') {
    router.use('/assets', (request, response, next) =>
      isSourceMap(request) ? noSuchAsset(request, response) : next(),
    );
  }
  const basemap = config.DASHBOARD_PMTILES_PATH;
  if (basemap) {
    // Only this one file, by a fixed name: nothing from the request reaches the file system. `send` answers
    // range requests (206, and 416 for a range past the end) and sets an ETag, which the PMTiles reader checks.
    const file = path.resolve(basemap);
    router.get(BASEMAP_PATH, (_request, response, next) => {
      response.sendFile(
        file,
        {
          acceptRanges: true,
          cacheControl: true,
          maxAge: '1h',
          dotfiles: 'allow',
          headers: { 'Content-Type': 'application/vnd.pmtiles', 'X-Content-Type-Options': 'nosniff' },
        },
        (error?: Error & { status?: number }) => {
          if (!error || response.headersSent) return;
          if (error.status !== 416) return next(error);
          response
            .status(416)
            .setHeader('Content-Range', `bytes */${statSync(file).size}`)
            .type('text/plain')
            .send('The requested range lies past the end of the base map file.');
        },
      );
    });
  }

  router.use(
    '/assets',
    express.static(path.join(directory, 'assets'), {
      index: false,
      dotfiles: 'deny',
      fallthrough: true,
      immutable: true,
      maxAge: '365d',
      setHeaders: (response) => response.setHeader('X-Content-Type-Options', 'nosniff'),
    }),
  );
  router.use('/assets', noSuchAsset);

  const sendIndex = (request: Request, response: Response) => {
    if (!existsSync(indexFile)) {
      response
        .status(503)
        .type('text/plain')
        .send('The dashboard is not built. Run "npm run build" (npm start and npm test build it too).');
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.setHeader('Content-Security-Policy', csp);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    if (request.method === 'HEAD') response.type('html').end();
    else response.sendFile(indexFile);
  };

  // /dashboard and any page below it is the one-page app; /dashboard itself is redirected to /dashboard/
  // so relative links resolve the same way in every browser.
  router.use((request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    const [pathname, query] = request.originalUrl.split(/\?(.*)/s, 2);
    if (pathname === DASHBOARD_PATH) {
      response.redirect(301, `${DASHBOARD_PATH}/${query ? `?${query}` : ''}`);
      return;
    }
    sendIndex(request, response);
  });
  return router;
}
