import { type ChildProcess, spawn } from 'node:child_process';
import { findFreePort, waitForPort } from '../../src/infra/free-port.js';

/** A redis-server this test started itself (never the suite's shared one), on a port of its own. */
export interface OwnRedis {
  readonly port: number;
  readonly url: string;
  /** Whether the current process is running. */
  readonly running: boolean;
  /** Starts redis-server on the same port again (after stop). */
  start(): Promise<void>;
  /** Stops the process with the given signal and waits for it to exit. Does nothing when not running. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts a throw-away redis-server (no persistence) on a free port of 127.0.0.1. */
export async function startOwnRedis(options: { port?: number } = {}): Promise<OwnRedis> {
  const port = options.port ?? (await findFreePort());
  let child: ChildProcess | null = null;

  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) throw new Error('redis-server already running');
    const spawned = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    spawned.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child = spawned;
    const exited = exitOf(spawned).then(() => {
      throw new Error(`redis-server on port ${port} exited during start-up: ${stderr.trim() || 'no output'}`);
    });
    try {
      await Promise.race([waitForPort(port, '127.0.0.1', 10_000), exited]);
    } catch (error) {
      spawned.kill('SIGKILL');
      throw error;
    }
    exited.catch(() => {});
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = exitOf(current);
    current.kill(signal);
    const timer = setTimeout(() => current.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== null && child.exitCode === null && child.signalCode === null;
    },
    start,
    stop,
  };
}

/** Calls every cleanup even when some fail; rethrows the first failure afterwards. */
export async function closeAll(...cleanups: Array<(() => Promise<unknown> | unknown) | undefined>): Promise<void> {
  let firstError: unknown = null;
  for (const cleanup of cleanups) {
    if (!cleanup) continue;
    try {
      await cleanup();
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError) throw firstError;
}
