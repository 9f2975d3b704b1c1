/** Accessibility check with axe-core, run inside the page (its source injected by playwright). */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: readonly string[];
}

interface AxeInPage {
  run(
    context: unknown,
    options: unknown,
  ): Promise<{
    violations: Array<{
      id: string;
      impact?: string | null;
      help: string;
      nodes: Array<{ target: unknown[] }>;
    }>;
  }>;
}

let source: Promise<string> | undefined;

/**
 * The serious and critical axe-core violations of what the page shows now. The page must have been opened with
 * `bypassCSP` (the dashboard's policy forbids inline scripts, which is how the axe source gets in).
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  source ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: await source });
  const violations = await page.evaluate(async () => {
    const scope = globalThis as unknown as { axe: AxeInPage; document: unknown };
    const result = await scope.axe.run(scope.document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.map(String).join(' ')),
    }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}
