import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const DEPCRUISE = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const SERVER_CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const CLIENT_CONFIG = path.join(ROOT, '.dependency-cruiser.client.cjs');

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}

/** Runs dependency-cruiser in `cwd` as `npm run check:layers` does: exit code and report. */
async function check(cwd: string, config: string, targets: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [DEPCRUISE, '--config', config, ...targets], {
      cwd,
      timeout: 120_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, output: `${failed.stdout}${failed.stderr}` };
  }
}

/** The same cruise's violations, from its JSON report. */
async function violationsOf(cwd: string, config: string, targets: string[]): Promise<Violation[]> {
  const args = [DEPCRUISE, '--config', config, '--output-type', 'json', ...targets];
  const { stdout } = await run(process.execPath, args, { cwd, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const describeViolations = (violations: readonly Violation[]) =>
  violations.map((violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`).join('\n');

/** A tiny project with one breach of each rule; every other import in it is allowed. */
const FIXTURE: Record<string, string> = {
  'src/main.ts': "import { start } from './app/app.js';\nstart();\n",
  'src/app/app.ts':
    "import { thing } from '../domain/thing.js';\nimport { helper } from '../misc/helper.js';\nexport const start = () => thing + helper;\n",
  // Up a layer, as a type-only import: the kind of import a compiler erases, which the check must still see.
  'src/domain/thing.ts':
    "import type { Context } from '../resolvers/context.js';\nexport const thing = 1;\nexport type Uses = Context;\n",
  'src/resolvers/context.ts': 'export interface Context {\n  readonly id: string;\n}\n',
  // A cycle inside one folder.
  'src/events/first.ts': "import { second } from './second.js';\nexport const first = () => second();\n",
  'src/events/second.ts': "import { first } from './first.js';\nexport const second = (): number => first();\n",
  // Two folders on one layer.
  'src/graphql/schema.ts': "import { shim } from '../ingest/shim.js';\nexport const schema = shim;\n",
  'src/ingest/shim.ts': 'export const shim = 1;\n',
  // A folder no layer lists.
  'src/misc/helper.ts': "import { thing } from '../domain/thing.js';\nexport const helper = thing;\n",
  // src importing the tests' helpers.
  'src/infra/port.ts': "import { fixture } from '../../test/fixture.js';\nexport const port = fixture;\n",
  'test/fixture.ts': 'export const fixture = 1;\n',
  // Folders in a cycle (writes → resolvers is also up a layer) though no file cycle exists.
  'src/resolvers/reader.ts': "import { write } from '../writes/writer.js';\nexport const read = write;\n",
  'src/writes/writer.ts': 'export const write = 1;\n',
  'src/writes/notifier.ts': "import { read } from '../resolvers/reader.js';\nexport const notify = read;\n",
  // The dashboard importing the server, from a JSX component.
  'client/src/View.tsx':
    'import { thing } from \'../../src/domain/thing.js\';\nexport const View = () => <div className="view">{thing}</div>;\n',
  'client/src/view.model.ts': "import type { Uses } from '../../src/domain/thing.js';\nexport type Model = Uses;\n",
};

describe('layer check (dependency-cruiser, npm run check:layers)', () => {
  let fixture: string;

  before(async () => {
    fixture = await mkdtemp(path.join(os.tmpdir(), 'aoc-layers-'));
    for (const [file, text] of Object.entries(FIXTURE)) {
      await mkdir(path.dirname(path.join(fixture, file)), { recursive: true });
      await writeFile(path.join(fixture, file), text);
    }
  });

  after(async () => {
    await rm(fixture, { recursive: true, force: true });
  });

  it('finds src, test, bench and scripts clean', async () => {
    const result = await check(ROOT, SERVER_CONFIG, ['src', 'test', 'bench', 'scripts']);
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /no dependency violations found \((\d{3,}) modules/);
  });

  it('finds the dashboard clean', async () => {
    const result = await check(ROOT, CLIENT_CONFIG, ['client/src']);
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /no dependency violations found \((\d{2,}) modules/);
  });

  it('fails on an import up a layer (type-only too), across a layer, a cycle, and src importing tests', async () => {
    const failed = await check(fixture, SERVER_CONFIG, ['src', 'test']);
    assert.notEqual(failed.code, 0, failed.output);
    const violations = await violationsOf(fixture, SERVER_CONFIG, ['src', 'test']);
    const found = new Set(violations.map((violation) => `${violation.rule.name} ${violation.from} ${violation.to}`));
    const expected = [
      'layer-up:domain src/domain/thing.ts src/resolvers/context.ts',
      'layer-up:writes+streams+dispatch src/writes/notifier.ts src/resolvers/reader.ts',
      'layer-sibling:graphql+ingest+dashboard+legacy-socket src/graphql/schema.ts src/ingest/shim.ts',
      'layer-unknown src/app/app.ts src/misc/helper.ts',
      'layer-unknown-importer src/misc/helper.ts src/domain/thing.ts',
      'src-not-to-tooling src/infra/port.ts test/fixture.ts',
      'no-cycle src/events/first.ts src/events/second.ts',
    ];
    for (const violation of expected)
      assert.ok(found.has(violation), `${violation}\nnot in:\n${[...found].join('\n')}`);
    const folderCycles = violations.filter((violation) => violation.rule.name === 'no-folder-cycle');
    assert.deepEqual(
      folderCycles.map((violation) => [violation.from, violation.to].sort()),
      [
        ['src/resolvers', 'src/writes'],
        ['src/resolvers', 'src/writes'],
      ],
    );
    assert.equal(violations.length, expected.length + folderCycles.length, describeViolations(violations));
  });

  it('fails when the dashboard imports the server, from a .tsx component and by a type-only import', async () => {
    const failed = await check(fixture, CLIENT_CONFIG, ['client/src']);
    assert.notEqual(failed.code, 0, failed.output);
    const violations = await violationsOf(fixture, CLIENT_CONFIG, ['client/src']);
    assert.deepEqual(violations.map((violation) => `${violation.rule.name} ${violation.from} ${violation.to}`).sort(), [
      'client-only-client client/src/View.tsx src/domain/thing.ts',
      'client-only-client client/src/view.model.ts src/domain/thing.ts',
    ]);
  });
});
