import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { formatSummary, type ReporterEvent, summarize } from '../scripts/test-summary.reporter.js';

const run = promisify(execFile);
const REPORTER = path.resolve(import.meta.dirname, '..', 'scripts', 'test-summary.reporter.js');

const diagnostic = (message: string): ReporterEvent => ({ type: 'test:diagnostic', data: { nesting: 0, message } });
const fail = (file: string, name: string, type?: string): ReporterEvent => ({
  type: 'test:fail',
  data: { file, name, nesting: 1, details: { type } },
});

describe('the test summary reporter', () => {
  it('takes the counts from the closing diagnostics and lists failed tests by file, suites left out', () => {
    const summary = summarize([
      fail('/r/dist/test/a.test.js', 'refuses bad input'),
      fail('/r/dist/test/a.test.js', 'the suite', 'suite'),
      fail('/r/dist/test/a.test.js', 'stores once'),
      fail('/r/dist/test/c.test.js', '/r/dist/test/c.test.js'),
      { type: 'test:diagnostic', data: { nesting: 1, message: 'pass 99' } },
      diagnostic('tests 12'),
      diagnostic('pass 8'),
      diagnostic('fail 3'),
      diagnostic('cancelled 1'),
    ]);
    assert.equal(summary.passed, 8);
    assert.equal(summary.failed, 3);
    assert.equal(summary.cancelled, 1);
    assert.deepEqual(
      [...summary.failures],
      [
        ['/r/dist/test/a.test.js', ['refuses bad input', 'stores once']],
        ['/r/dist/test/c.test.js', []],
      ],
    );
    const text = formatSummary(summary, (file) => path.basename(file));
    assert.match(text, /FAILED a\.test\.js\n {2}✗ refuses bad input\n {2}✗ stores once\n/);
    assert.match(text, /FAILED c\.test\.js\n {2}\(the file failed outside any test/);
    assert.match(text, /1 cancelled/);
    assert.ok(text.endsWith('\n8 passed, 3 failed\n'));
  });

  it('says so when nothing failed', () => {
    const text = formatSummary(summarize([diagnostic('pass 5'), diagnostic('fail 0')]));
    assert.ok(text.endsWith('no file failed\n5 passed, 0 failed\n'), text);
  });

  describe('beside the TAP reporter in a real `node --test` run', () => {
    let directory: string;
    before(async () => {
      directory = await mkdtemp(path.join(os.tmpdir(), 'aoc-reporter-'));
      const header = "import assert from 'node:assert/strict';\nimport { describe, it } from 'node:test';\n";
      await writeFile(
        path.join(directory, 'mixed.test.mjs'),
        `${header}describe('numbers', () => {\n  it('adds', () => assert.equal(1 + 1, 2));\n  it('subtracts wrongly', () => assert.equal(2 - 1, 0));\n});\n`,
      );
      await writeFile(path.join(directory, 'green.test.mjs'), `${header}it('is green', () => {});\n`);
      await writeFile(path.join(directory, 'broken.test.mjs'), "throw new Error('does not load');\n");
    });
    after(() => rm(directory, { recursive: true, force: true }));

    it("keeps TAP's closing lines and ends with the failed files and `N passed, N failed`", async () => {
      const { NODE_TEST_CONTEXT: _, ...env } = process.env;
      const args = [
        '--test',
        '--test-reporter=tap',
        '--test-reporter-destination=stdout',
        `--test-reporter=${pathToFileURL(REPORTER).href}`,
        '--test-reporter-destination=stdout',
        ...['mixed', 'green', 'broken'].map((name) => path.join(directory, `${name}.test.mjs`)),
      ];
      const failure = await run(process.execPath, args, { env, cwd: directory }).then(
        () => assert.fail('the run has failing tests, so node exits non-zero'),
        (error: { code: number; stdout: string }) => error,
      );
      assert.equal(failure.code, 1);
      const output = failure.stdout;
      for (const line of ['# tests 4', '# pass 2', '# fail 2']) assert.ok(output.includes(`\n${line}\n`), line);
      assert.match(output, /FAILED mixed\.test\.mjs\n {2}✗ subtracts wrongly\n/);
      assert.match(output, /FAILED broken\.test\.mjs\n/);
      assert.ok(!output.includes('FAILED green'), 'a passing file is not listed');
      assert.ok(output.indexOf('# fail 2') < output.indexOf('---- summary ----'), 'the summary comes after the TAP');
      assert.equal(output.trimEnd().split('\n').at(-1), '2 passed, 2 failed');
    });
  });
});
