/**
 * This server against the legacy-design peer, with the shared load generator (`shared/perf/compare.mjs`), for the
 * scenarios of the performance issue. Run by hand: `npm run bench:compare -- [options]`.
 *
 *   --scenarios dispatch,fanout,ingest   which ones (default all three)
 *   --runs N                              repetitions of each (default 1); the summary shows every run and the median
 *   --work DIR                            scratch copy of perf/ and peers/legacy/ (default <tmp>/aoc-perfwork; reused)
 *   --env K=V,...                         more settings for both targets, after the ones set here
 *   -- ...                                anything after `--` goes to compare.mjs as it is
 *
 * shared/ is found beside this checkout or above it (or SHARED_DIR). FerretDB: FERRETDB_BIN or the project's cache.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureFerretdbBinary } from '../src/infra/ferretdb.process.js';
import { fmt, say } from './bench.server.js';
import { type CompareRun, type ScenarioName, scenarioRows, summarise } from './compare.summary.js';

const CHECKOUT = path.resolve(import.meta.dirname, '..', '..');

/** Every limit a single load generator on one address trips; the load test is not what they guard against. */
const LOAD_TEST_ENV = [
  'INGEST_RATE_LIMIT_PER_DEVICE=0',
  'INGEST_RATE_LIMIT_PER_ADDRESS=0',
  'INGEST_NEW_AMBULANCES_PER_ADDRESS_PER_HOUR=0',
  'WS_MAX_CONNECTIONS_PER_ADDRESS=0',
  'WS_MAX_CONNECTIONS_PER_SUBJECT=0',
  'LOG_LEVEL=warn',
];

const SCENARIOS: Record<ScenarioName, readonly string[]> = {
  dispatch: ['--modes', 'dispatch'],
  // 200 ambulances × 1/s × 200 fleet-wide dashboards: 40,000 deliveries/s.
  fanout: ['--modes', 'dispatch', '--subs-per-ambulance', '0', '--fleet-subs', '200', '--duration', '20'],
  ingest: ['--modes', 'ingest'],
};

const { values, positionals } = parseArgs({
  options: {
    scenarios: { type: 'string', default: 'dispatch,fanout,ingest' },
    runs: { type: 'string', default: '1' },
    work: { type: 'string', default: path.join(os.tmpdir(), 'aoc-perfwork') },
    env: { type: 'string', default: '' },
  },
  allowPositionals: true,
});
const scenarios = values.scenarios.split(',').map((name) => name.trim()) as ScenarioName[];
for (const name of scenarios)
  if (!(name in SCENARIOS)) throw new Error(`unknown scenario ${name}: dispatch, fanout, ingest`);
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs wants a whole number of at least 1');

/** `shared/` beside the checkout or beside one of its parents (worktrees sit deeper than the main checkout). */
function findShared(): string {
  if (process.env.SHARED_DIR) return path.resolve(process.env.SHARED_DIR);
  for (let dir = path.dirname(CHECKOUT); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared');
    if (existsSync(path.join(candidate, 'perf', 'compare.mjs'))) return candidate;
    if (dir === path.dirname(dir))
      throw new Error(`no shared/perf/compare.mjs beside ${CHECKOUT} or above it; set SHARED_DIR`);
  }
}

/** shared/ is read-only; perf writes results beside itself, so both tools are copied (node_modules kept). */
function copyTool(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    if (entry === 'node_modules' || entry === 'results') continue;
    rmSync(path.join(to, entry), { recursive: true, force: true });
    cpSync(path.join(from, entry), path.join(to, entry), { recursive: true });
  }
  makeWritable(to);
}

function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(full);
    else chmodSync(full, 0o644);
  }
}

/** `npm ci` unless node_modules was installed from this very lock file. */
function install(dir: string): void {
  const lock = readFileSync(path.join(dir, 'package-lock.json'));
  const digest = createHash('sha256').update(lock).digest('hex');
  const stamp = path.join(dir, 'node_modules', '.aoc-installed-from');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return;
  say(`npm ci in ${dir}`);
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm ci in ${dir} failed`);
  writeFileSync(stamp, digest);
}

function runCompare(perfDir: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['compare.mjs', ...args], { cwd: perfDir, env, stdio: 'inherit' });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

const shared = findShared();
const perfDir = path.join(values.work, 'perf');
copyTool(path.join(shared, 'perf'), perfDir);
copyTool(path.join(shared, 'peers', 'legacy'), path.join(values.work, 'peers', 'legacy'));
install(perfDir);
install(path.join(values.work, 'peers', 'legacy'));

const env = {
  ...process.env,
  FERRETDB_BIN: await ensureFerretdbBinary({ explicitPath: process.env.FERRETDB_BIN, log: say }),
};
const serverEnv = [...LOAD_TEST_ENV, ...values.env.split(',').filter(Boolean)].join(',');
const resultsDir = path.join(perfDir, 'results');
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const collected: Partial<Record<ScenarioName, CompareRun[]>> = {};

for (const scenario of scenarios) {
  for (let run = 1; run <= runs; run += 1) {
    const json = path.join(resultsDir, `bench-${stamp}-${scenario}-${run}.json`);
    const args = [
      ...SCENARIOS[scenario],
      '--start-services',
      '--server-dir',
      CHECKOUT,
      '--env',
      serverEnv,
      '--json',
      json,
      ...positionals,
    ];
    say(`\n=== ${scenario}, run ${run} of ${runs}: node compare.mjs ${args.join(' ')}`);
    const code = await runCompare(perfDir, args, env);
    if (!existsSync(json)) {
      say(`compare.mjs exited with ${code} and wrote no results`);
      continue;
    }
    const file = JSON.parse(readFileSync(json, 'utf8')) as { results: Record<string, CompareRun> };
    const byTarget = file.results[scenario === 'ingest' ? 'ingest' : 'dispatch'];
    if (byTarget) collected[scenario] = [...(collected[scenario] ?? []), byTarget];
  }
}

say('\n=== new/legacy against the targets of the performance issue');
for (const scenario of scenarios) {
  const list = collected[scenario] ?? [];
  say(`\n${scenario} (${list.length} run${list.length === 1 ? '' : 's'})`);
  for (const line of summarise(scenarioRows(scenario), list, fmt)) say(line);
}
say(`\nresults: ${resultsDir}/bench-${stamp}-*.json`);
