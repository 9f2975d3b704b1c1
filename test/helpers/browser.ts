/** A real headless Chromium (Debian's `chromium`, driven by playwright-core) for the dashboard tests. */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page, type Request } from 'playwright-core';
import type { DrawnMarker } from '../../client/src/logic/map.marker.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots of the browser tests land here (git-ignored), for people to look at after a run. */
export const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '..', '..', '..', 'test-artifacts');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: install it with "apt-get update && apt-get install -y chromium" ` +
        '(or set CHROMIUM_PATH); the dashboard tests never download a browser',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface DashboardPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught page errors seen so far, except those `allowConsoleErrors` expects. */
  readonly consoleErrors: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Appended to /dashboard/, e.g. `#token=…`. */
  readonly hash?: string;
  readonly viewport?: { width: number; height: number };
  /** Console errors a test provokes on purpose (e.g. refused connections while the server is down). */
  readonly allowConsoleErrors?: readonly RegExp[];
  /** False to return once the page has rendered, without waiting for the fleet (which a refused token never loads). */
  readonly waitForFleet?: boolean;
  /** Lets a test inject scripts (axe-core) past the dashboard's content security policy. */
  readonly bypassCSP?: boolean;
  /** Called with the page before the dashboard loads, to watch its requests and sockets from the start (awaited). */
  readonly watch?: (page: Page) => unknown;
}

/** Opens the dashboard of a running server in a fresh browser context and (by default) waits until it shows the fleet. */
export async function openDashboard(
  browser: Browser,
  baseUrl: string,
  options: OpenOptions = {},
): Promise<DashboardPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1600, height: 1000 },
    bypassCSP: options.bypassCSP ?? false,
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const allowed = options.allowConsoleErrors ?? [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = `${message.text()} @ ${message.location().url}`;
    if (!allowed.some((pattern) => pattern.test(text))) consoleErrors.push(text);
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  await options.watch?.(page);
  await page.goto(`${baseUrl}/dashboard/${options.hash ?? ''}`);
  await page.locator(options.waitForFleet === false ? '.app' : '.app[data-ready="true"]').waitFor({ timeout: 20_000 });
  return {
    context,
    page,
    consoleErrors,
    async screenshot(name) {
      await mkdir(ARTIFACTS_DIR, { recursive: true });
      const file = path.join(ARTIFACTS_DIR, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    close: () => context.close(),
  };
}

/** The fleet-list row of one ambulance. */
export function fleetRow(page: Page, ambulanceId: string) {
  return page.locator(`tr.fleet-row[data-ambulance-id="${ambulanceId}"]`);
}

/** An ambulance as the map's canvas shows it (positions in page coordinates, CSS pixels, like `boundingBox()`). */
export type MapMarker = DrawnMarker;

interface MarkerHost {
  fleetMarkers?: () => MapMarker[];
}

/** Every ambulance the map's units layer holds, as it shows them (the map's test hook, `fleetMarkers()`). */
export function mapMarkers(page: Page): Promise<MapMarker[]> {
  return page.locator('section.map').evaluate((element) => (element as unknown as MarkerHost).fleetMarkers?.() ?? []);
}

/** The map marker of one ambulance as currently drawn, or undefined when the map does not hold it. */
export async function mapMarker(page: Page, ambulanceId: string): Promise<MapMarker | undefined> {
  return (await mapMarkers(page)).find((marker) => marker.id === ambulanceId);
}

/** Waits until the map has drawn this ambulance (as `accept` wants it, if given) and returns it as drawn. */
export async function drawnMarker(
  page: Page,
  ambulanceId: string,
  accept: (marker: MapMarker) => boolean = () => true,
  what = `the map marker of ${ambulanceId}`,
): Promise<MapMarker> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const marker = await mapMarker(page, ambulanceId);
    if (marker?.drawn && accept(marker)) return marker;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(marker)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits until the map's canvas shows this ambulance (as `accept` wants it, if given) painted in its colour at its
 * place, and returns it: what the dispatcher sees, not just what the layer holds.
 */
export async function paintedMarker(
  page: Page,
  ambulanceId: string,
  accept: (marker: MapMarker) => boolean = () => true,
  what = `the map marker of ${ambulanceId} painted`,
): Promise<MapMarker> {
  let last: { marker?: MapMarker; pixel?: string } = {};
  const deadline = Date.now() + 15_000;
  for (;;) {
    const marker = await mapMarker(page, ambulanceId);
    const pixel =
      marker?.drawn && marker.inView && accept(marker) ? await mapPixel(page, marker.x, marker.y) : undefined;
    if (marker && pixel === marker.colour) return marker;
    last = { marker, pixel };
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The colour of the map's units canvas at a page position, as `#rrggbb` (transparent is `#000000`). */
export function mapPixel(page: Page, x: number, y: number): Promise<string> {
  return page.locator('canvas.fleet-units').evaluate(
    (element, at) => {
      const canvas = element as unknown as CanvasLike;
      const box = canvas.getBoundingClientRect();
      const ratio = canvas.width / box.width;
      const [r = 0, g = 0, b = 0] = canvas
        .getContext('2d')
        .getImageData(Math.round((at.x - box.left) * ratio), Math.round((at.y - box.top) * ratio), 1, 1).data;
      return `#${[r, g, b].map((value) => value.toString(16).padStart(2, '0')).join('')}`;
    },
    { x, y },
  );
}

/** In-page canvas, typed without the DOM library. */
interface CanvasLike {
  readonly width: number;
  getBoundingClientRect(): { left: number; top: number; width: number };
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number> & Iterable<number> };
  };
}

/** In-page code is typed without the DOM library (the test build is Node's): just what these helpers touch. */
interface PageDocument {
  querySelector(selector: string): { readonly naturalWidth?: number } | null;
}

/**
 * Resolves once the first image matching `selector` has really loaded (a broken image has no natural width).
 * A function, not a string: the dashboard's content security policy forbids evaluating strings.
 */
export async function waitForLoadedImage(page: Page, selector: string): Promise<void> {
  await page.waitForFunction((css) => {
    const { document } = globalThis as unknown as { document: PageDocument };
    return (document.querySelector(css)?.naturalWidth ?? 0) > 0;
  }, selector);
}

/** Records the variables of every GraphQL request the page sends for the operation named `operationName`. */
export function recordOperations<Variables = Record<string, unknown>>(page: Page, operationName: string) {
  const sent: Variables[] = [];
  const listener = (request: Request) => {
    const body = request.postData();
    if (!request.url().endsWith('/graphql') || !body?.includes(`query ${operationName}`)) return;
    sent.push((JSON.parse(body) as { variables: Variables }).variables);
  };
  page.on('request', listener);
  return { sent, stop: () => page.off('request', listener) };
}
