import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CODEGEN = path.join(ROOT, 'node_modules', '@graphql-codegen', 'cli', 'esm', 'bin.js');

async function codegen(args: string[]): Promise<{ code: number; output: string }> {
  try {
    // Under NODE_ENV=test (as the suite runs) codegen leaves the error details out of its output.
    const env = { ...process.env, NODE_ENV: 'development' };
    const { stdout, stderr } = await run(process.execPath, [CODEGEN, ...args], { cwd: ROOT, env, timeout: 120_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, output: `${failed.stdout}${failed.stderr}` };
  }
}

describe('typed dashboard operations (codegen.yml)', () => {
  it('are generated from the checked-in schema and operations (run "npm run codegen" when this fails)', async () => {
    const result = await codegen(['--config', 'codegen.yml', '--check']);
    assert.equal(result.code, 0, result.output);
  });

  it('fail to generate when the schema no longer has a field an operation reads (a renamed field)', async () => {
    // Inside the project (under dist/, ignored by git): codegen's loaders do not read schema files outside it.
    await mkdir(path.join(ROOT, 'dist'), { recursive: true });
    const directory = await mkdtemp(path.join(ROOT, 'dist', 'codegen-check-'));
    const relative = path.relative(ROOT, directory);
    try {
      const schema = await readFile(path.join(ROOT, 'schema', 'schema.graphql'), 'utf8');
      const withoutSpeed = schema.replace(/type TrackingPoint \{[\s\S]*?\n\}/, (type) =>
        type.replace(/\n {2}speed: Float\n/, '\n  velocity: Float\n'),
      );
      assert.notEqual(withoutSpeed, schema);
      await writeFile(path.join(directory, 'schema.graphql'), withoutSpeed);
      await writeFile(
        path.join(directory, 'codegen.json'),
        JSON.stringify({
          schema: `${relative}/schema.graphql`,
          documents: 'client/src/operations/*.graphql',
          generates: {
            [`${relative}/gql/`]: {
              preset: 'client',
              config: { documentMode: 'string', scalars: { DateTime: 'string', Upload: 'File' } },
            },
          },
        }),
      );
      const result = await codegen(['--config', path.join(directory, 'codegen.json'), '--verbose']);
      assert.notEqual(result.code, 0, result.output);
      assert.match(result.output, /Cannot query field "speed" on type "TrackingPoint"/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
