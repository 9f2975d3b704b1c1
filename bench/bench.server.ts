import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { issueToken } from '../src/auth/token.issuer.js';
import { ensureFerretdbBinary, type FerretdbHandle, startFerretdb } from '../src/infra/ferretdb.process.js';

export interface BenchServer {
  readonly url: string;
  readonly mongoUri: string;
  readonly child: ChildProcess;
  /** The server's limit on open files (sockets included). */
  openFiles(): Promise<number>;
  /** A dispatcher token for GraphQL (the server runs in production mode, so it requires one). */
  readonly dispatcherToken: string;
  rssMiB(): Promise<number>;
  /** CPU seconds (user + system) used so far by the server and by the FerretDB started here (0 when external). */
  cpuSeconds(): Promise<{ server: number; database: number }>;
  stop(): Promise<void>;
}

export const say = (message: string) => process.stdout.write(`${message}\n`);

/**
 * The server under test runs as its own process (node dist/src/main.js), as in production, against a
 * FerretDB started here (or MONGODB_URI) and Redis (REDIS_URL, default 127.0.0.1:6379).
 */
export async function startBenchServer(
  extraEnv: Record<string, string> = {},
  options: { openFiles?: number } = {},
): Promise<BenchServer> {
  let ferretdb: FerretdbHandle | null = null;
  let mongoBase = process.env.MONGODB_URI;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'aoc-bench-'));
  if (!mongoBase) {
    const binary = await ensureFerretdbBinary({ explicitPath: process.env.FERRETDB_BIN, log: say });
    ferretdb = await startFerretdb({ binary, dataDir: path.join(dataDir, 'db') });
    mongoBase = `${ferretdb.uri}bench_${Date.now()}`;
  }
  const mongoUri = mongoBase;
  const jwtSecret = randomBytes(32).toString('hex');
  const nodeFlags = process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const command = [process.execPath, ...nodeFlags, path.resolve(import.meta.dirname, '..', 'src', 'main.js')];
  // A higher open-file limit for the server alone (its own sockets), as far as the hard limit or root allows.
  const [file, args] = options.openFiles
    ? [
        'sh',
        ['-c', `ulimit -n ${options.openFiles} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"`, 'sh', ...command],
      ]
    : [command[0] as string, command.slice(1)];
  const child = spawn(file, args, {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      MONGODB_URI: mongoUri,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      EVENT_CHANNEL_PREFIX: `bench${Date.now()}:`,
      UPLOAD_DIR: path.join(dataDir, 'uploads'),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      JWT_SECRET: jwtSecret,
      // The load generator is one address posting for every ambulance, far above a real device's rate.
      INGEST_RATE_LIMIT_PER_DEVICE: '0',
      INGEST_RATE_LIMIT_PER_ADDRESS: '0',
      INGEST_NEW_AMBULANCES_PER_ADDRESS_PER_HOUR: '0',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (process.env.BENCH_SERVER_LOG) process.stderr.write(`${line}\n`);
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'listening' && entry.url) resolve(entry.url);
      } catch {
        // not a log line
      }
    });
  });
  const pid = child.pid as number;
  return {
    url,
    mongoUri,
    child,
    dispatcherToken: await issueToken(jwtSecret, { role: 'dispatcher', expiresIn: '1d' }),
    async rssMiB() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kib / 1024;
    },
    async openFiles() {
      const limits = await readFile(`/proc/${pid}/limits`, 'utf8');
      return Number(/Max open files\s+(\d+)/.exec(limits)?.[1] ?? 0);
    },
    async cpuSeconds() {
      const databasePid = ferretdb?.process.pid;
      return {
        server: await processCpuSeconds(pid),
        database: databasePid ? await processCpuSeconds(databasePid) : 0,
      };
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await ferretdb?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime from /proc/<pid>/stat (fields 14 and 15, counted after the parenthesised command name). */
async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

export const fmt = (value: number, digits = 1) => value.toFixed(digits);
