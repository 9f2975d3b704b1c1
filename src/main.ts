import path from 'node:path';
import { pino } from 'pino';
import { startApp } from './app/app.js';
import { type AppConfig, ConfigError, loadConfig } from './config/env.config.js';
import type { EventBus } from './events/event-bus.js';
import { LocalEventBus } from './events/local.event-bus.js';
import { RedisEventBus } from './events/redis.event-bus.js';
import { ensureFerretdbBinary, type FerretdbHandle, startFerretdb } from './infra/ferretdb.process.js';

const EMBEDDED_DATABASE = 'aoc_v2';
const SHUTDOWN_GRACE_MS = 15_000;

/** host[:port]/db of a connection string, without credentials. */
function describeUri(uri: string): string {
  try {
    const url = new URL(uri);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(unparseable URI)';
  }
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const logger = pino({ level: config.LOG_LEVEL });

  let ferretdb: FerretdbHandle | null = null;
  let mongoUri = config.MONGODB_URI;
  if (!mongoUri) {
    const binary = await ensureFerretdbBinary({ explicitPath: config.FERRETDB_BIN, log: (m) => logger.info(m) });
    ferretdb = await startFerretdb({
      binary,
      dataDir: path.join(config.DATA_DIR, 'mongodb'),
      log: (m) => logger.info(m),
    });
    mongoUri = `${ferretdb.uri}${EMBEDDED_DATABASE}`;
  }

  let bus: EventBus;
  if (config.REDIS_URL) {
    const redisBus = new RedisEventBus(config.REDIS_URL, config.EVENT_CHANNEL_PREFIX, logger);
    await redisBus.connect();
    bus = redisBus;
  } else {
    bus = new LocalEventBus();
  }
  logger.info(
    {
      mongodb: ferretdb ? `embedded FerretDB (data in ${ferretdb.dataDir})` : describeUri(mongoUri),
      events: config.REDIS_URL
        ? `redis ${describeUri(config.REDIS_URL)}`
        : 'in-process (single instance; set REDIS_URL to scale out)',
    },
    'backends chosen',
  );

  const app = await startApp({ config, mongoUri, bus, logger });
  logger.info({ url: app.url, graphql: `${app.url}/graphql` }, 'listening');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown grace period exceeded; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    timer.unref();
    try {
      await app.close();
      await bus.close();
      await ferretdb?.stop();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
