import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { EventBus, Unsubscribe } from './event-bus.js';
import { ambulanceChannel, fleetPattern, type Topic, type TopicPayloads } from './topics.js';

/**
 * Redis pub/sub through graphql-redis-subscriptions. RedisPubSub reference-counts channels, so an
 * instance holds one Redis subscription per watched ambulance channel and one pattern subscription
 * per topic for the fleet, however many GraphQL subscribers share them.
 */
export class RedisEventBus implements EventBus {
  readonly kind = 'redis' as const;
  private readonly pubsub: RedisPubSub;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly readyListeners: Array<() => void> = [];

  constructor(
    url: string,
    private readonly prefix: string,
    logger: Logger,
  ) {
    const retryStrategy = (attempt: number) => Math.min(100 * attempt, 2000);
    // The publisher fails fast while Redis is away; EventPublisher keeps the events and retries.
    this.publisher = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy,
      lazyConnect: true,
    });
    this.subscriber = new Redis(url, { retryStrategy, maxRetriesPerRequest: null, lazyConnect: true });
    let wasDown = false;
    for (const [role, client] of [
      ['publisher', this.publisher],
      ['subscriber', this.subscriber],
    ] as const) {
      client.on('error', (error: Error) => logger.warn({ role, err: error.message }, 'redis connection error'));
      client.on('close', () => {
        if (role === 'publisher') wasDown = true;
      });
      client.on('ready', () => {
        if (role === 'publisher' && wasDown) {
          logger.info('redis publisher reconnected');
          for (const listener of this.readyListeners) listener();
        }
      });
    }
    this.pubsub = new RedisPubSub({ publisher: this.publisher, subscriber: this.subscriber });
  }

  async connect(): Promise<void> {
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
  }

  publish<T extends Topic>(topic: T, ambulanceId: string, payload: TopicPayloads[T]): Promise<void> {
    return this.pubsub.publish(ambulanceChannel(this.prefix, topic, ambulanceId), payload);
  }

  async subscribe<T extends Topic>(
    topic: T,
    ambulanceId: string | null,
    listener: (payload: TopicPayloads[T]) => void,
  ): Promise<Unsubscribe> {
    const subscriptionId =
      ambulanceId === null
        ? await this.pubsub.subscribe(fleetPattern(this.prefix, topic), listener, { pattern: true })
        : await this.pubsub.subscribe(ambulanceChannel(this.prefix, topic, ambulanceId), listener);
    return () => this.pubsub.unsubscribe(subscriptionId);
  }

  onReady(listener: () => void): void {
    this.readyListeners.push(listener);
  }

  isReady(): boolean {
    return this.publisher.status === 'ready';
  }

  async close(): Promise<void> {
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}
