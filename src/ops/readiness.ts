import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { EventBus } from '../events/event-bus.js';

export interface ReadinessProbe {
  readonly name: string;
  check(): Promise<void>;
}

export interface CheckResult {
  readonly status: 'up' | 'down';
  readonly latencyMs: number;
  /** Why it is down, without addresses or driver messages (those are logged instead). */
  readonly reason?: 'timeout' | 'error';
}

export interface ReadinessReport {
  readonly status: 'ready' | 'not ready' | 'shutting down';
  readonly down: readonly string[];
  readonly checks: Readonly<Record<string, CheckResult>>;
}

export function mongoProbe(connection: Connection): ReadinessProbe {
  return {
    name: 'mongodb',
    async check() {
      const db = connection.db;
      if (!db) throw new Error('mongodb connection has no database handle');
      await db.command({ ping: 1 });
    },
  };
}

export function busProbe(bus: EventBus): ReadinessProbe {
  return { name: bus.kind === 'redis' ? 'redis' : 'events', check: () => bus.ping() };
}

class ProbeTimeout extends Error {}

function withTimeout(promise: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Whether this instance should get traffic: its dependencies answer a ping within a short timeout, and it
 * is not shutting down. Concurrent probes share one round of pings, so a burst of /readyz calls costs one
 * ping per dependency. Changes of state are logged with the underlying error; the HTTP answer never
 * carries addresses or driver messages.
 */
export class Readiness {
  private shuttingDown = false;
  private running: Promise<ReadinessReport> | null = null;
  private lastDown = '';

  constructor(
    private readonly probes: readonly ReadinessProbe[],
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  /** From now on the instance reports itself not ready, so traffic moves elsewhere before it stops. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  report(): Promise<ReadinessReport> {
    if (this.shuttingDown) return Promise.resolve({ status: 'shutting down', down: [], checks: {} });
    this.running ??= this.probe().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async probe(): Promise<ReadinessReport> {
    const errors = new Map<string, unknown>();
    const results = await Promise.all(
      this.probes.map(async (probe): Promise<[string, CheckResult]> => {
        const started = performance.now();
        try {
          await withTimeout(probe.check(), this.timeoutMs);
          return [probe.name, { status: 'up', latencyMs: Math.round(performance.now() - started) }];
        } catch (error) {
          errors.set(probe.name, error);
          const reason = error instanceof ProbeTimeout ? 'timeout' : 'error';
          return [probe.name, { status: 'down', latencyMs: Math.round(performance.now() - started), reason }];
        }
      }),
    );
    const down = [...errors.keys()];
    const key = down.join(',');
    if (key !== this.lastDown) {
      this.lastDown = key;
      if (down.length > 0) {
        const causes = Object.fromEntries([...errors].map(([name, error]) => [name, String(error)]));
        this.logger.warn({ down, causes }, 'not ready: dependencies unreachable');
      } else {
        this.logger.info('ready: every dependency answers');
      }
    }
    if (this.shuttingDown) return { status: 'shutting down', down: [], checks: {} };
    return { status: down.length === 0 ? 'ready' : 'not ready', down, checks: Object.fromEntries(results) };
  }
}
