import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { type RunningApp, startApp } from '../../src/app/app.js';
import { type AppConfig, loadConfig } from '../../src/config/env.config.js';
import type { EventBus } from '../../src/events/event-bus.js';
import { LocalEventBus } from '../../src/events/local.event-bus.js';
import { RedisEventBus } from '../../src/events/redis.event-bus.js';
import { testEnv, uniqueName } from './test-env.js';

export interface TestAppOptions {
  /** Database name; give two apps the same one to share data. Defaults to a fresh one. */
  readonly database?: string;
  /** 'redis' (default) uses the suite's Redis; a URL uses that Redis; 'local' uses in-process events. */
  readonly events?: 'redis' | 'local' | { readonly redisUrl: string };
  /** Channel prefix; give two apps the same one to share events. Defaults to a fresh one. */
  readonly channelPrefix?: string;
  readonly mongoUri?: string;
  readonly uploadDir?: string;
  readonly env?: Record<string, string>;
  /** Receives the app's log lines (JSON), at the env's LOG_LEVEL. */
  readonly logTo?: (line: string) => void;
}

export interface TestApp {
  readonly app: RunningApp;
  readonly bus: EventBus;
  readonly config: AppConfig;
  readonly url: string;
  readonly graphqlUrl: string;
  readonly wsUrl: string;
  readonly database: string;
  readonly channelPrefix: string;
  readonly uploadDir: string;
  close(): Promise<void>;
}

/** Starts the real app on port 0 against the suite's FerretDB and Redis. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? uniqueName('db');
  const channelPrefix = options.channelPrefix ?? `${uniqueName('t')}:`;
  const ownUploadDir = options.uploadDir ? null : await mkdtemp(path.join(os.tmpdir(), 'aoc-uploads-'));
  const uploadDir = options.uploadDir ?? (ownUploadDir as string);
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    UPLOAD_DIR: uploadDir,
    EVENT_CHANNEL_PREFIX: channelPrefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MONGODB_MONITOR_COMMANDS: 'true',
    // Tests post many made-up ids from one address; the tests of that limit switch it on.
    INGEST_NEW_AMBULANCES_PER_ADDRESS_PER_HOUR: '0',
    ...options.env,
  });
  const logger = options.logTo
    ? pino({ level: config.LOG_LEVEL }, { write: options.logTo })
    : pino({ level: config.LOG_LEVEL });
  const events = options.events ?? 'redis';
  let bus: EventBus;
  if (events === 'local') {
    bus = new LocalEventBus();
  } else {
    const redisBus = new RedisEventBus(events === 'redis' ? testEnv.redisUrl : events.redisUrl, channelPrefix, logger);
    await redisBus.connect();
    bus = redisBus;
  }
  const mongoUri = `${options.mongoUri ?? testEnv.mongoUri}${database}`;
  const app = await startApp({ config, mongoUri, bus, logger });
  return {
    app,
    bus,
    config,
    url: app.url,
    graphqlUrl: `${app.url}/graphql`,
    wsUrl: `${app.url.replace(/^http/, 'ws')}/graphql`,
    database,
    channelPrefix,
    uploadDir,
    async close() {
      await app.close();
      await bus.close();
      if (ownUploadDir) await rm(ownUploadDir, { recursive: true, force: true });
    },
  };
}

/** Resolves once the app has at least `count` live subscriptions with their event-bus subscriptions confirmed. */
export async function waitForSubscribers(app: TestApp, count: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (app.app.subscriptions.activeSubscribers < count) {
    if (Date.now() > deadline) {
      throw new Error(`expected ${count} subscribers, have ${app.app.subscriptions.activeSubscribers}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
