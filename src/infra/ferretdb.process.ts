import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findFreePort, waitForPort } from './free-port.js';

const execFileAsync = promisify(execFile);

export const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
export const FERRETDB_VERSION = 'v1.24.2';

type Log = (message: string) => void;

export function ferretdbCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'ambulance-tracking', 'bin');
}

/**
 * FerretDB v1's SQLite backend creates a unique index on `_id` but looks documents up by `_id` with a
 * different SQL expression (`->'$._id'` against the index's `->"_id"`), so SQLite never uses the index and
 * every find, update or delete by `_id` scans the whole collection (upstream: FerretDB issues #3235, #3340).
 * The build writes the lookup expression the way the index is written; nothing else changes.
 */
const ID_LOOKUP_PATCH = {
  file: path.join('internal', 'backends', 'sqlite', 'metadata', 'metadata.go'),
  from: `IDColumn = DefaultColumn + "->'$._id'"`,
  to: 'IDColumn = DefaultColumn + `->"_id"`',
} as const;

function cachedBinaryPath(): string {
  return path.join(ferretdbCacheDir(), `ferretdb-${FERRETDB_VERSION}-id-index`);
}

async function applyIdLookupPatch(sourceDir: string): Promise<void> {
  const file = path.join(sourceDir, ID_LOOKUP_PATCH.file);
  const source = await readFile(file, 'utf8');
  if (source.split(ID_LOOKUP_PATCH.from).length !== 2) {
    throw new Error(
      `FerretDB ${FERRETDB_VERSION} source changed: ${ID_LOOKUP_PATCH.file} no longer holds \`${ID_LOOKUP_PATCH.from}\` ` +
        'once. Update ID_LOOKUP_PATCH in src/infra/ferretdb.process.ts for this version.',
    );
  }
  await writeFile(file, source.replace(ID_LOOKUP_PATCH.from, ID_LOOKUP_PATCH.to));
}

/**
 * Finds the FerretDB binary (FERRETDB_BIN, then the build cache) or builds it once with Go.
 * `go install ...@version` cannot be used: its module zip carries no build/version/version.txt,
 * and FerretDB panics at start-up without one, so the source is copied, the file written and the `_id`
 * lookup patched (ID_LOOKUP_PATCH).
 */
export async function ensureFerretdbBinary(options: { explicitPath?: string; log?: Log } = {}): Promise<string> {
  const log = options.log ?? (() => {});
  if (options.explicitPath) {
    if (!existsSync(options.explicitPath)) {
      throw new Error(
        `FERRETDB_BIN points to ${options.explicitPath}, which does not exist. Fix the path or unset it.`,
      );
    }
    return options.explicitPath;
  }
  const target = cachedBinaryPath();
  if (existsSync(target)) return target;

  try {
    await execFileAsync('go', ['version']);
  } catch {
    throw new Error(
      'No MongoDB configured and no FerretDB binary found. Either set MONGODB_URI to a MongoDB server, ' +
        `set FERRETDB_BIN to a FerretDB ${FERRETDB_VERSION} binary, or install Go so it can be built into ${target}.`,
    );
  }
  log(`building FerretDB ${FERRETDB_VERSION} with Go into ${target} (first run only; takes a few minutes)`);
  const { stdout } = await execFileAsync('go', ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const moduleDir = (JSON.parse(stdout) as { Dir: string }).Dir;
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'ferretdb-src-'));
  try {
    await cp(moduleDir, workDir, { recursive: true, mode: 0 });
    await execFileAsync('chmod', ['-R', 'u+w', workDir]);
    await writeFile(path.join(workDir, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
    await applyIdLookupPatch(workDir);
    await mkdir(path.dirname(target), { recursive: true });
    const partial = `${target}.${process.pid}.partial`;
    await execFileAsync('go', ['build', '-trimpath', '-o', partial, './cmd/ferretdb'], {
      cwd: workDir,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, GOFLAGS: '-buildvcs=false' },
    });
    await rename(partial, target);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  log(`FerretDB built: ${target}`);
  return target;
}

export interface FerretdbHandle {
  readonly uri: string;
  readonly port: number;
  readonly dataDir: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Kills a FerretDB left running on this data directory by a process that died without stopping it. */
async function killStaleProcess(pidFile: string): Promise<void> {
  let pid: number;
  try {
    pid = Number.parseInt(await readFile(pidFile, 'utf8'), 10);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes('ferretdb')) process.kill(pid, 'SIGTERM');
  } catch {
    // not running any more
  }
}

export async function startFerretdb(options: {
  binary: string;
  dataDir: string;
  port?: number;
  log?: Log;
}): Promise<FerretdbHandle> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const pidFile = path.join(dataDir, 'ferretdb.pid');
  await killStaleProcess(pidFile);
  const port = options.port ?? (await findFreePort());
  const child = spawn(
    options.binary,
    [
      '--handler=sqlite',
      // WAL with synchronous=NORMAL: committed data survives a crash of either process; only an OS crash
      // can lose the last commits. Production runs real MongoDB.
      `--sqlite-url=file:${dataDir}/?_pragma=synchronous(normal)`,
      `--listen-addr=127.0.0.1:${port}`,
      `--state-dir=${dataDir}`,
      '--telemetry=disable',
      '--debug-addr=-',
      '--log-level=warn',
      '--log-format=json',
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      // Go's default GOGC=100 spent a fifth of FerretDB's CPU on garbage collection under ingest load
      // (measured: 170 → 130-150 ms of database CPU per 1000 points with 400); GOMEMLIMIT bounds what that costs.
      env: { ...process.env, GOGC: process.env.GOGC ?? '400', GOMEMLIMIT: process.env.GOMEMLIMIT ?? '512MiB' },
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.pid) await writeFile(pidFile, String(child.pid));
  try {
    await Promise.race([
      waitForPort(port),
      exited.then(() => {
        throw new Error(`FerretDB exited during start-up: ${stderr.trim() || 'no output'}`);
      }),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  options.log?.(`FerretDB ${FERRETDB_VERSION} (SQLite under ${dataDir}) listening on 127.0.0.1:${port}`);
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    dataDir,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      await rm(pidFile, { force: true });
    },
  };
}
