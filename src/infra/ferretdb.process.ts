import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
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

interface SourcePatch {
  readonly file: string;
  /** Each `from` must occur exactly once in the file. */
  readonly replace: ReadonlyArray<{ readonly from: string; readonly to: string }>;
  readonly append?: string;
}

const SQLITE_BACKEND = path.join('internal', 'backends', 'sqlite');

/** The pushdown of a `_id` filter as FerretDB v1.24.2 writes it in Query (first) and Explain (second). */
const idPushdownBlock = (flag: string) => `	if params.Filter.Len() == 1 {
		v, _ := params.Filter.Get("_id")
		switch v.(type) {
		case string, types.ObjectID:
${flag}			whereClause = fmt.Sprintf(\` WHERE %s = ?\`, metadata.IDColumn)
			args = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
		}
	}
`;

/**
 * FerretDB v1's SQLite backend (the embedded and test store) looks documents up by `_id` through an index only
 * in part (upstream: FerretDB issues #3235, #3340); everything else decodes every document of the collection,
 * and inside a write it holds the store's single writer meanwhile. The build changes four things:
 * 1. the lookup expression is written the way the `_id` index is (`->"_id"`, not `->'$._id'`), so SQLite uses
 *    the index at all;
 * 2. a filter's `_id` is pushed down whatever else the filter holds (a compare-and-set such as
 *    `{_id, next}`), and `_id: {$in: [...]}` of strings and ObjectIds becomes `IN (...)`. FerretDB's handler
 *    filters every document the backend returns by the whole filter again, so this only narrows the scan;
 * 3. updates and findAndModify run one at a time: FerretDB reads the matching documents, then writes them whole,
 *    so two at once lost one of the changes (`$inc`, `$max`, a compare-and-set: 400 concurrent `$inc` upserts
 *    left 213);
 * 4. write transactions (inserts, updates) wait for each other on a mutex. SQLite allows one writer; FerretDB
 *    opens up to 100 connections, and a transaction that found the database locked waited in SQLite's busy
 *    handler, which sleeps 1, 2, 5, 10, 15, 20, 25… ms between attempts: device inserts colliding with the
 *    projector's or the log positions' writes took 40–200 ms instead of 2.
 */
const SOURCE_PATCHES: readonly SourcePatch[] = [
  {
    file: path.join(SQLITE_BACKEND, 'metadata', 'metadata.go'),
    replace: [{ from: `IDColumn = DefaultColumn + "->'$._id'"`, to: 'IDColumn = DefaultColumn + `->"_id"`' }],
  },
  {
    file: path.join(SQLITE_BACKEND, 'collection.go'),
    replace: [
      {
        from: idPushdownBlock('			filterPushdown = true\n'),
        to: '	whereClause, args = idWhereClause(params.Filter)\n	filterPushdown = whereClause != "" && params.Filter.Len() == 1\n',
      },
      { from: idPushdownBlock(''), to: '	whereClause, args = idWhereClause(params.Filter)\n' },
    ],
    append: `
// idWhereClause pushes a filter's _id down (patched by the ambulance-tracking build): a string or ObjectID, or
// {$in: [...]} of them. The handler filters the returned documents by the whole filter again.
func idWhereClause(filter *types.Document) (string, []any) {
	v, _ := filter.Get("_id")
	switch v := v.(type) {
	case string, types.ObjectID:
		return fmt.Sprintf(\` WHERE %s = ?\`, metadata.IDColumn), []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
	case *types.Document:
		if v.Len() != 1 {
			return "", nil
		}
		in, _ := v.Get("$in")
		values, ok := in.(*types.Array)
		if !ok || values.Len() == 0 {
			return "", nil
		}
		marks := make([]string, values.Len())
		args := make([]any, values.Len())
		for i := range marks {
			value := must.NotFail(values.Get(i))
			switch value.(type) {
			case string, types.ObjectID:
			default:
				return "", nil
			}
			marks[i] = "?"
			args[i] = string(must.NotFail(sjson.MarshalSingleValue(value)))
		}
		return fmt.Sprintf(\` WHERE %s IN (%s)\`, metadata.IDColumn, strings.Join(marks, ", ")), args
	}
	return "", nil
}
`,
  },
  {
    file: path.join('internal', 'util', 'fsql', 'db.go'),
    replace: [
      { from: '\t"log/slog"\n\t"time"\n', to: '\t"log/slog"\n\t"sync"\n\t"time"\n' },
      {
        from: '\tBatchSize int\n}\n',
        to: '\tBatchSize int\n\n\t// writes serialises write transactions (patched by the ambulance-tracking build).\n\twrites sync.Mutex\n}\n',
      },
      {
        from: 'func (db *DB) InTransaction(ctx context.Context, f func(*Tx) error) (err error) {\n',
        to: 'func (db *DB) InTransaction(ctx context.Context, f func(*Tx) error) (err error) {\n\tdb.writes.Lock()\n\tdefer db.writes.Unlock()\n\n',
      },
    ],
  },
  {
    file: path.join('internal', 'handler', 'msg_update.go'),
    replace: [
      { from: 'import (\n\t"context"\n\t"fmt"\n', to: 'import (\n\t"context"\n\t"fmt"\n\t"sync"\n' },
      {
        from: 'func (h *Handler) updateDocument(ctx context.Context, params *common.UpdateParams) (int32, int32, *types.Array, error) {\n',
        to: 'func (h *Handler) updateDocument(ctx context.Context, params *common.UpdateParams) (int32, int32, *types.Array, error) {\n\treadModifyWrite.Lock()\n\tdefer readModifyWrite.Unlock()\n\n',
      },
    ],
    append: `
// readModifyWrite makes each update and findAndModify command atomic (patched by the ambulance-tracking build):
// both read the matching documents and then write them whole, so two at once could each write over the other.
var readModifyWrite sync.Mutex
`,
  },
  {
    file: path.join('internal', 'handler', 'msg_findandmodify.go'),
    replace: [
      {
        from: 'func (h *Handler) findAndModifyDocument(ctx context.Context, params *common.FindAndModifyParams) (*findAndModifyResult, error) {\n',
        to: 'func (h *Handler) findAndModifyDocument(ctx context.Context, params *common.FindAndModifyParams) (*findAndModifyResult, error) {\n\treadModifyWrite.Lock()\n\tdefer readModifyWrite.Unlock()\n\n',
      },
    ],
  },
];

/** The cached build is named by its patches: a changed patch builds anew instead of reusing an older binary. */
function cachedBinaryPath(): string {
  const patches = createHash('sha256').update(JSON.stringify(SOURCE_PATCHES)).digest('hex').slice(0, 10);
  return path.join(ferretdbCacheDir(), `ferretdb-${FERRETDB_VERSION}-patched-${patches}`);
}

async function applySourcePatches(sourceDir: string): Promise<void> {
  for (const patch of SOURCE_PATCHES) {
    const file = path.join(sourceDir, patch.file);
    let source = await readFile(file, 'utf8');
    for (const { from, to } of patch.replace) {
      if (source.split(from).length !== 2) {
        throw new Error(
          `FerretDB ${FERRETDB_VERSION} source changed: ${patch.file} no longer holds this text once:\n${from}\n` +
            'Update SOURCE_PATCHES in src/infra/ferretdb.process.ts for this version.',
        );
      }
      source = source.replace(from, () => to);
    }
    await writeFile(file, source + (patch.append ?? ''));
  }
}

/**
 * Finds the FerretDB binary (FERRETDB_BIN, then the build cache) or builds it once with Go.
 * `go install ...@version` cannot be used: its module zip carries no build/version/version.txt,
 * and FerretDB panics at start-up without one, so the source is copied, the file written and the `_id`
 * lookup patched (SOURCE_PATCHES).
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
    await applySourcePatches(workDir);
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
