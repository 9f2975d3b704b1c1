import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT, readRepoFile } from './helpers/deployment.files.js';

const run = promisify(execFile);
const BACKUP = path.join(REPO_ROOT, 'scripts', 'backup.sh');
const RESTORE = path.join(REPO_ROOT, 'scripts', 'restore.sh');

/**
 * A stand-in for the docker CLI (no Docker engine runs here): it records each call, answers the dump
 * commands with known bytes, keeps what the restore commands receive, and fails a chosen command.
 */
const FAKE_DOCKER = `#!/usr/bin/env bash
printf '%s\\n' "$*" >> "$FAKE_DOCKER_DIR/calls"
if [[ -n "\${FAKE_DOCKER_FAIL:-}" && "$*" == *"$FAKE_DOCKER_FAIL"* ]]; then exit 3; fi
case "$*" in
  *mongodump*) printf 'mongo-archive-bytes' ;;
  *"tar -cf"*) printf 'uploads-tar-bytes' ;;
  *mongorestore*) cat > "$FAKE_DOCKER_DIR/restored-mongo" ;;
  *" -xf "*) cat > "$FAKE_DOCKER_DIR/restored-uploads" ;;
esac
`;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('backup and restore scripts', () => {
  let fakeDir: string;
  let backupRoot: string;
  const composeServices = Object.keys((parseYaml(readRepoFile('docker-compose.yml')) as { services: object }).services);

  const runScript = async (script: string, args: string[], env: Record<string, string> = {}): Promise<Run> => {
    try {
      const { stdout, stderr } = await run('bash', [script, ...args], {
        env: { ...process.env, PATH: `${fakeDir}:${process.env.PATH}`, FAKE_DOCKER_DIR: fakeDir, ...env },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
  const calls = async () => (await readFile(path.join(fakeDir, 'calls'), 'utf8').catch(() => '')).trim().split('\n');

  before(async () => {
    fakeDir = await mkdtemp(path.join(os.tmpdir(), 'aoc-fake-docker-'));
    backupRoot = await mkdtemp(path.join(os.tmpdir(), 'aoc-backups-'));
    await writeFile(path.join(fakeDir, 'docker'), FAKE_DOCKER);
    await chmod(path.join(fakeDir, 'docker'), 0o755);
  });
  after(async () => {
    await rm(fakeDir, { recursive: true, force: true });
    await rm(backupRoot, { recursive: true, force: true });
  });

  it('are valid bash with strict mode', async () => {
    for (const script of [BACKUP, RESTORE]) {
      await run('bash', ['-n', script]);
      assert.match(await readFile(script, 'utf8'), /^set -euo pipefail$/m, script);
    }
  });

  it('backup dumps MongoDB and archives the uploads through compose services that exist, with checksums', async () => {
    await rm(path.join(fakeDir, 'calls'), { force: true });
    const result = await runScript(BACKUP, [backupRoot]);
    assert.equal(result.code, 0, result.stderr);
    const target = result.stdout.trim();
    assert.match(path.basename(target), /^\d{8}T\d{6}Z$/);
    assert.equal(await readFile(path.join(target, 'mongodb.archive.gz'), 'utf8'), 'mongo-archive-bytes');
    assert.equal(await readFile(path.join(target, 'uploads.tar'), 'utf8'), 'uploads-tar-bytes');
    await run('sha256sum', ['--check', '--quiet', 'SHA256SUMS'], { cwd: target });

    const [dump, archive] = await calls();
    assert.match(dump ?? '', /^compose exec -T mongo .*mongodump .*--db aoc_v2 --archive --gzip/);
    assert.match(archive ?? '', /^compose exec -T app tar -cf - -C \/data\/uploads \.$/);
    for (const call of await calls()) {
      const service = /^compose (?:exec|run)\b.*? -T (\w+)/.exec(call)?.[1];
      assert.ok(service && composeServices.includes(service), `${call} names a compose service`);
    }
  });

  it('a failed backup leaves no backup directory behind and exits non-zero', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'aoc-backups-failed-'));
    try {
      const result = await runScript(BACKUP, [root], { FAKE_DOCKER_FAIL: 'tar -cf' });
      assert.notEqual(result.code, 0);
      assert.deepEqual(await readdir(root), []);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('restore checks the checksums, stops the app, restores both parts and starts the app again', async () => {
    const [backup] = await readdir(backupRoot);
    assert.ok(backup);
    await rm(path.join(fakeDir, 'calls'), { force: true });
    const result = await runScript(RESTORE, [path.join(backupRoot, backup), '--yes']);
    assert.equal(result.code, 0, result.stderr);
    const restoreCalls = await calls();
    assert.equal(restoreCalls.length, 4, restoreCalls.join('\n'));
    assert.equal(restoreCalls[0], 'compose stop app');
    assert.match(
      restoreCalls[1] ?? '',
      /^compose exec -T mongo .*mongorestore .*--nsInclude 'aoc_v2\.\*' --drop --archive --gzip/,
    );
    assert.match(
      restoreCalls[2] ?? '',
      /^compose run --rm --no-deps -T --entrypoint tar app -xf - .*-C \/data\/uploads$/,
    );
    assert.equal(restoreCalls[3], 'compose start app');
    assert.equal(await readFile(path.join(fakeDir, 'restored-mongo'), 'utf8'), 'mongo-archive-bytes');
    assert.equal(await readFile(path.join(fakeDir, 'restored-uploads'), 'utf8'), 'uploads-tar-bytes');
  });

  it('restore refuses a damaged backup before touching anything, and starts the app again when a step fails', async () => {
    const [backup] = await readdir(backupRoot);
    const directory = path.join(backupRoot, backup as string);
    await rm(path.join(fakeDir, 'calls'), { force: true });
    const failing = await runScript(RESTORE, [directory, '--yes'], { FAKE_DOCKER_FAIL: 'mongorestore' });
    assert.notEqual(failing.code, 0);
    assert.deepEqual(
      (await calls()).map((call) => call.split(' ').slice(0, 3).join(' ')),
      ['compose stop app', 'compose exec -T', 'compose start app'],
    );

    await writeFile(path.join(directory, 'uploads.tar'), 'tampered');
    await rm(path.join(fakeDir, 'calls'), { force: true });
    const damaged = await runScript(RESTORE, [directory, '--yes']);
    assert.notEqual(damaged.code, 0);
    assert.match(damaged.stderr, /uploads\.tar/);
    assert.deepEqual(await calls(), [''], 'docker was never called');

    const unconfirmed = await runScript(RESTORE, [directory]);
    assert.notEqual(unconfirmed.code, 0);
  });
});
