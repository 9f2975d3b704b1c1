/**
 * Runs the whole test suite against real servers: a FerretDB (built once and cached) on a free port
 * with its own temporary data, and Redis (REDIS_URL, else 127.0.0.1:6379, else a redis-server started
 * here). Test files get the addresses through TEST_* variables. Pass test files to run only those.
 * Output: node's TAP (CI reads its closing `# tests`, `# pass`, `# fail` lines), then a summary of the failed
 * files and a last line `N passed, N failed` (test-summary.reporter.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { ensureFerretdbBinary, startFerretdb } from '../src/infra/ferretdb.process.js';
import { findFreePort, waitForPort } from '../src/infra/free-port.js';

const log = (message: string) => process.stdout.write(`[test-run] ${message}\n`);
const SUMMARY_REPORTER = path.join(import.meta.dirname, 'test-summary.reporter.js');

/** A Redis URL without its password, for the log. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

async function findTestFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.js'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function main(): Promise<number> {
  const distRoot = path.resolve(import.meta.dirname, '..');
  const requested = process.argv.slice(2).map((file) => path.resolve(file));
  const files =
    requested.length > 0
      ? requested
      : (
          await Promise.all(['src', 'client', 'test'].map((folder) => findTestFiles(path.join(distRoot, folder))))
        ).flat();
  if (files.length === 0) throw new Error('no test files found under dist/');

  const ferretdbBin = await ensureFerretdbBinary({ explicitPath: process.env.FERRETDB_BIN, log });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'aoc-test-ferretdb-'));
  const ferretdb = await startFerretdb({ binary: ferretdbBin, dataDir, log });

  let redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  let redisOrigin = process.env.REDIS_URL ? 'REDIS_URL' : 'the default address';
  let ownRedis: ChildProcess | null = null;
  if (!(await redisAnswers(redisUrl))) {
    const port = await findFreePort();
    log(`no Redis at ${redisUrl}; starting redis-server on port ${port}`);
    ownRedis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await waitForPort(port);
    redisUrl = `redis://127.0.0.1:${port}`;
    redisOrigin = 'a redis-server started for this run';
  }

  const binaryOrigin = process.env.FERRETDB_BIN ? 'FERRETDB_BIN' : 'built once and cached';
  log(`FerretDB: ${ferretdb.uri}, binary ${ferretdbBin} (${binaryOrigin}), data in ${dataDir} (removed afterwards)`);
  log(`Redis: ${withoutPassword(redisUrl)} (${redisOrigin})`);
  log(`${files.length} test files`);
  const concurrency = process.env.TEST_CONCURRENCY ?? String(Math.max(2, os.availableParallelism()));
  const reporters = [
    ...['--test-reporter=tap', '--test-reporter-destination=stdout'],
    ...[`--test-reporter=${pathToFileURL(SUMMARY_REPORTER).href}`, '--test-reporter-destination=stdout'],
  ];
  const child = spawn(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...reporters, ...files], {
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_ENV: 'test',
      TEST_MONGODB_URI: ferretdb.uri,
      TEST_REDIS_URL: redisUrl,
      FERRETDB_BIN: ferretdbBin,
    },
  });
  const code = await new Promise<number>((resolve) => child.on('exit', (exitCode) => resolve(exitCode ?? 1)));
  await ferretdb.stop();
  ownRedis?.kill('SIGTERM');
  await rm(dataDir, { recursive: true, force: true });
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[test-run] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
