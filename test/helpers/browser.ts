/** A real headless Chromium (Debian's `chromium`, driven by playwright-core) for the dashboard tests. */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page, type Request } from 'playwright-core';

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
  /** Called with the page before the dashboard loads, to watch its requests and sockets from the start. */
  readonly watch?: (page: Page) => void;
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
  options.watch?.(page);
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

/** The map marker of one ambulance. */
export function mapMarker(page: Page, ambulanceId: string) {
  return page.locator(`.fleet-marker[data-ambulance-id="${ambulanceId}"]`);
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
