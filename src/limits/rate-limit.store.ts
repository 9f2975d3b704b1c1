import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { AppConfig } from '../config/env.config.js';

export interface RateLimit {
  readonly points: number;
  readonly durationSeconds: number;
  /** Names the budget; keys of different limits never meet. */
  readonly keyPrefix: string;
}

/** Where rate-limit counters live: in this process, or in Redis so that every instance draws on one budget. */
export interface RateLimitStore {
  readonly kind: 'memory' | 'redis';
  limiter(limit: RateLimit): RateLimiterAbstract;
  /** Resolves once counters are shared (Redis answers), or after `timeoutMs` (memory insurance meanwhile). */
  ready(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

const memoryLimiter = (limit: RateLimit) =>
  new RateLimiterMemory({ points: limit.points, duration: limit.durationSeconds, keyPrefix: limit.keyPrefix });

export class MemoryRateLimitStore implements RateLimitStore {
  readonly kind = 'memory' as const;
  limiter(limit: RateLimit): RateLimiterAbstract {
    return memoryLimiter(limit);
  }
  async ready(): Promise<void> {}
  async close(): Promise<void> {}
}

/**
 * Counters in Redis under `<prefix>ratelimit:`, shared by every instance with the same prefix (the event
 * channel prefix), so N replicas do not give a device N times its budget. While Redis does not answer, each
 * limiter falls back to an in-memory one of the same size: limits then hold per instance again.
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly kind = 'redis' as const;
  private readonly client: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    logger: Logger,
  ) {
    this.client = new Redis(url, {
      // A command without a connection fails at once and the in-memory insurance limiter answers.
      enableOfflineQueue: false,
      commandTimeout: 1000,
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt: number) => Math.min(100 * attempt, 2000),
    });
    this.client.on('error', (error: Error) =>
      logger.debug({ err: error.message }, 'rate-limit redis connection error; limits are per instance meanwhile'),
    );
  }

  limiter(limit: RateLimit): RateLimiterAbstract {
    return new RateLimiterRedis({
      storeClient: this.client,
      keyPrefix: `${this.prefix}ratelimit:${limit.keyPrefix}`,
      points: limit.points,
      duration: limit.durationSeconds,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memoryLimiter(limit),
    });
  }

  async ready(timeoutMs: number): Promise<void> {
    if (this.client.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.client.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.client.once('ready', done);
    });
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}

export function rateLimitStoreFor(config: AppConfig, logger: Logger): RateLimitStore {
  return config.REDIS_URL
    ? new RedisRateLimitStore(config.REDIS_URL, config.EVENT_CHANNEL_PREFIX, logger)
    : new MemoryRateLimitStore();
}
