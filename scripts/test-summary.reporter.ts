/**
 * A `node --test` reporter that prints, once every test has run, which files failed (and which of their tests)
 * and a last line `N passed, N failed`. It runs beside the TAP reporter (see run-tests.ts), whose closing
 * `# tests`, `# pass`, `# fail` lines CI reads; the counts here are those same lines.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The fields of the runner's events this reporter reads (node:test reporter stream). */
export interface ReporterEvent {
  readonly type: string;
  readonly data?: {
    readonly name?: string;
    readonly file?: string;
    readonly nesting?: number;
    readonly message?: string;
    readonly details?: { readonly type?: string };
  };
}

export interface TestSummary {
  readonly passed: number;
  readonly failed: number;
  readonly cancelled: number;
  /** Failed tests by file, in the order they failed; a file that failed to load lists no test. */
  readonly failures: ReadonlyMap<string, readonly string[]>;
}

const COUNT = /^(pass|fail|cancelled) (\d+)$/;

/** Tallies the runner's events: counts from its closing diagnostics, failures from its test:fail events. */
export function summarize(events: Iterable<ReporterEvent>): TestSummary {
  const counts = { pass: 0, fail: 0, cancelled: 0 };
  const failures = new Map<string, string[]>();
  for (const { type, data } of events) {
    if (type === 'test:diagnostic' && data?.nesting === 0) {
      const match = COUNT.exec(data.message ?? '');
      if (match) counts[match[1] as keyof typeof counts] = Number(match[2]);
    } else if (type === 'test:fail' && data?.details?.type !== 'suite') {
      const file = data?.file ?? data?.name ?? '(unknown file)';
      const tests = failures.get(file) ?? [];
      if (data?.name && data.name !== file) tests.push(data.name);
      failures.set(file, tests);
    }
  }
  return { passed: counts.pass, failed: counts.fail, cancelled: counts.cancelled, failures };
}

/** `dist/test/x.test.js` as the source file a developer opens (`test/x.test.ts`), when that file exists. */
export function sourceOf(file: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, file);
  const source = relative.replace(/^dist[\\/]/, '').replace(/\.js$/, '.ts');
  return source !== relative && existsSync(path.join(cwd, source)) ? source : relative;
}

export function formatSummary(summary: TestSummary, nameOf: (file: string) => string = sourceOf): string {
  const lines = ['', '---- summary ----'];
  for (const [file, tests] of summary.failures) {
    lines.push(`FAILED ${nameOf(file)}`);
    if (tests.length === 0) lines.push('  (the file failed outside any test: it did not load, or its process exited)');
    for (const test of tests) lines.push(`  ✗ ${test}`);
  }
  if (summary.failures.size === 0) lines.push('no file failed');
  if (summary.cancelled > 0) lines.push(`${summary.cancelled} cancelled (a timeout, or a parent test that failed)`);
  lines.push(`${summary.passed} passed, ${summary.failed} failed`);
  return `${lines.join('\n')}\n`;
}

export default async function* testSummaryReporter(source: AsyncIterable<ReporterEvent>): AsyncGenerator<string> {
  const events: ReporterEvent[] = [];
  for await (const event of source) {
    if (event.type === 'test:fail' || event.type === 'test:diagnostic') events.push(event);
  }
  yield formatSummary(summarize(events));
}
