import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import { type RunningApp, startApp } from './app/app.js';
import { type AppConfig, ConfigError, loadConfig } from './config/env.config.js';
import type { EventBus } from './events/event-bus.js';
import { LocalEventBus } from './events/local.event-bus.js';
import { RedisEventBus } from './events/redis.event-bus.js';
import { ensureFerretdbBinary, type FerretdbHandle, startFerretdb } from './infra/ferretdb.process.js';
import { createLogger } from './ops/logger.js';
import { installProcessErrorHandlers } from './ops/process.errors.js';

const EMBEDDED_DATABASE = 'aoc_v2';

/** host[:port]/db of a connection string, without credentials. */
function describeUri(uri: string): string {
  try {
    const url = new URL(uri);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(unparseable URI)';
  }
}

function readConfig(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}

/** What has been started so far, stopped in reverse order on a signal, even one that arrives during start-up. */
class Resources {
  ferretdb: FerretdbHandle | null = null;
  bus: EventBus | null = null;
  app: RunningApp | null = null;
  private stopping = false;
  private exitCode = 0;

  constructor(
    private readonly logger: Logger,
    private readonly graceMs: number,
  ) {}

  /** Stops everything within the grace period, then exits with `exitCode` (1 if the period runs out or a step fails). */
  async shutdown(reason: string, exitCode = 0): Promise<void> {
    // An uncaught exception during a shutdown still makes the exit code non-zero.
    this.exitCode = Math.max(this.exitCode, exitCode);
    if (this.stopping) return;
    this.stopping = true;
    this.logger.info({ reason, graceMs: this.graceMs }, 'shutting down');
    setTimeout(() => {
      this.logger.error({ graceMs: this.graceMs }, 'shutdown grace period exceeded; exiting');
      process.exit(1);
    }, this.graceMs).unref();
    try {
      await this.app?.close();
      await this.bus?.close();
      await this.ferretdb?.stop();
      this.logger.info({ exitCode: this.exitCode }, 'stopped');
      process.exit(this.exitCode);
    } catch (error) {
      this.logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const resources = new Resources(logger, config.SHUTDOWN_GRACE_SECONDS * 1000);
  installProcessErrorHandlers({
    logger,
    onUncaughtException: () => void resources.shutdown('uncaughtException', 1),
  });
  process.on('SIGTERM', () => void resources.shutdown('SIGTERM'));
  process.on('SIGINT', () => void resources.shutdown('SIGINT'));

  let mongoUri = config.MONGODB_URI;
  if (!mongoUri) {
    const binary = await ensureFerretdbBinary({ explicitPath: config.FERRETDB_BIN, log: (m) => logger.info(m) });
    resources.ferretdb = await startFerretdb({
      binary,
      dataDir: path.join(config.DATA_DIR, 'mongodb'),
      log: (m) => logger.info(m),
    });
    mongoUri = `${resources.ferretdb.uri}${EMBEDDED_DATABASE}`;
  }

  if (config.REDIS_URL) {
    const redisBus = new RedisEventBus(config.REDIS_URL, config.EVENT_CHANNEL_PREFIX, logger);
    resources.bus = redisBus;
    // Not awaited: with Redis away the server still starts, stores data and answers devices; events wait
    // in the outbox until Redis answers (the clients keep reconnecting).
    redisBus.connect().catch((error: unknown) => {
      logger.warn({ err: (error as Error).message }, 'redis not reachable yet; events will go out once it is');
    });
  } else {
    resources.bus = new LocalEventBus();
  }
  logger.info(
    {
      mongodb: resources.ferretdb ? `embedded FerretDB (data in ${resources.ferretdb.dataDir})` : describeUri(mongoUri),
      events: config.REDIS_URL
        ? `redis ${describeUri(config.REDIS_URL)}`
        : 'in-process (single instance; set REDIS_URL to scale out)',
    },
    'backends chosen',
  );

  resources.app = await startApp({ config, mongoUri, bus: resources.bus, logger });
  const { address } = resources.app.httpServer.address() as AddressInfo;
  logger.info({ url: resources.app.url, graphql: `${resources.app.url}/graphql`, address }, 'listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
