/** Visibility checks by geometry: a user sees an element only when all of it lies inside the viewport. */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Asserts that `locator` is shown, not clipped by the viewport, and at least `minHeight` pixels tall. */
export async function assertInViewport(page: Page, locator: Locator, what: string, minHeight = 1): Promise<Box> {
  const viewport = page.viewportSize();
  assert.ok(viewport);
  await locator.waitFor({ state: 'visible' });
  const box = await locator.boundingBox();
  assert.ok(box, `${what} has a box`);
  const inside =
    box.x >= -0.5 &&
    box.y >= -0.5 &&
    box.x + box.width <= viewport.width + 0.5 &&
    box.y + box.height <= viewport.height + 0.5;
  assert.ok(inside, `${what} lies inside the ${viewport.width}×${viewport.height} viewport: ${JSON.stringify(box)}`);
  assert.ok(box.height >= minHeight, `${what} is at least ${minHeight} px tall: ${JSON.stringify(box)}`);
  return box;
}

/** Asserts that `inner` lies inside `outer` (e.g. a marker inside the map, not cut off by its edge). */
export function assertWithin(inner: Box, outer: Box, what: string): void {
  assert.ok(
    inner.x >= outer.x - 0.5 &&
      inner.y >= outer.y - 0.5 &&
      inner.x + inner.width <= outer.x + outer.width + 0.5 &&
      inner.y + inner.height <= outer.y + outer.height + 0.5,
    `${what}: ${JSON.stringify(inner)} inside ${JSON.stringify(outer)}`,
  );
}

/** The page's root font size in pixels (the dashboard sizes everything in rem). */
export async function remPixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    const scope = globalThis as unknown as {
      document: { documentElement: unknown };
      getComputedStyle(element: unknown): { fontSize: string };
    };
    return Number.parseFloat(scope.getComputedStyle(scope.document.documentElement).fontSize);
  });
}
