import { randomUUID } from 'node:crypto';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { EventBus, Unsubscribe } from './event-bus.js';
import { LocalEventBus } from './local.event-bus.js';
import { ambulanceChannel, fleetPattern, type Topic, type TopicPayloads } from './topics.js';

/**
 * The instance an event on Redis came from. Extra to the payload, so instances of earlier versions sharing the
 * channels read the payload as before.
 */
const ORIGIN_FIELD = '_origin';

/**
 * Redis pub/sub through graphql-redis-subscriptions. An instance's own events reach its own subscribers
 * directly (deliverHere) and the other instances through Redis (forward), so a local subscriber never waits for
 * a Redis round trip, and still gets events while Redis is away. RedisPubSub reference-counts channels, so an
 * instance holds one Redis subscription per watched ambulance channel and one pattern subscription
 * per topic for the fleet, however many GraphQL subscribers share them.
 */
export class RedisEventBus implements EventBus {
  readonly kind = 'redis' as const;
  private readonly pubsub: RedisPubSub;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly readyListeners: Array<() => void> = [];
  private subscriberConfirmed = false;
  private wasDown = false;
  /** This instance's own listeners: they hear its events at once, and while Redis is away. */
  private readonly here = new LocalEventBus();
  private readonly origin = randomUUID();

  constructor(
    url: string,
    private readonly prefix: string,
    logger: Logger,
  ) {
    const retryStrategy = (attempt: number) => Math.min(100 * attempt, 2000);
    // The publisher fails fast while Redis is away; EventPublisher keeps the events and retries.
    this.publisher = new Redis(url, {
      enableOfflineQueue: false,
      // Publishes issued in the same tick go out in one write.
      enableAutoPipelining: true,
      // A publish that gets no answer (a half-open connection) fails and is retried from the outbox.
      commandTimeout: 2000,
      maxRetriesPerRequest: 1,
      retryStrategy,
      lazyConnect: true,
    });
    this.subscriber = new Redis(url, { retryStrategy, maxRetriesPerRequest: null, lazyConnect: true });
    for (const [role, client] of [
      ['publisher', this.publisher],
      ['subscriber', this.subscriber],
    ] as const) {
      client.on('error', (error: Error) => logger.warn({ role, err: error.message }, 'redis connection error'));
      client.on('close', () => {
        this.wasDown = true;
        if (role === 'subscriber') this.subscriberConfirmed = false;
      });
    }
    this.publisher.on('ready', () => this.notifyIfReady(logger));
    // After a reconnect ioredis re-sends SUBSCRIBE/PSUBSCRIBE for every channel before it emits 'ready'
    // (the event is emitted on the next tick); a PING answered after them shows they are in place.
    // Until then events are refused and kept by EventPublisher: published earlier, they would reach
    // Redis while nobody on this instance is subscribed and be lost.
    this.subscriber.on('ready', () => {
      this.subscriber.ping().then(
        () => {
          if (this.subscriber.status !== 'ready') return;
          this.subscriberConfirmed = true;
          this.notifyIfReady(logger);
        },
        () => {},
      );
    });
    // RedisPubSub.unsubscribe sends UNSUBSCRIBE and PUNSUBSCRIBE without handling their promises. They
    // reject when the connection closes first (on shutdown, right after the last subscriber leaves), and
    // an unhandled rejection ends the Node process. The rejection itself is harmless; handle it here.
    for (const method of ['unsubscribe', 'punsubscribe'] as const) {
      const original = this.subscriber[method].bind(this.subscriber) as (...args: unknown[]) => Promise<unknown>;
      (this.subscriber as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        const result = original(...args);
        result.catch(() => {});
        return result;
      };
    }
    this.pubsub = new RedisPubSub({ publisher: this.publisher, subscriber: this.subscriber });
  }

  async connect(): Promise<void> {
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.subscriber.ping();
    this.subscriberConfirmed = true;
  }

  publish<T extends Topic>(topic: T, ambulanceId: string, payload: TopicPayloads[T]): Promise<void> {
    this.deliverHere(topic, ambulanceId, payload);
    return this.forward(topic, ambulanceId, payload);
  }

  deliverHere<T extends Topic>(topic: T, ambulanceId: string, payload: TopicPayloads[T]): void {
    this.here.deliverHere(topic, ambulanceId, payload);
  }

  /** Tagged with this instance's origin, which its own Redis listeners skip (they had it from deliverHere). */
  forward<T extends Topic>(topic: T, ambulanceId: string, payload: TopicPayloads[T]): Promise<void> {
    if (!this.subscriberConfirmed) {
      return Promise.reject(new Error('redis subscriptions are not restored yet; the event is kept for retry'));
    }
    return this.pubsub.publish(ambulanceChannel(this.prefix, topic, ambulanceId), {
      ...payload,
      [ORIGIN_FIELD]: this.origin,
    });
  }

  async subscribe<T extends Topic>(
    topic: T,
    ambulanceId: string | null,
    listener: (payload: TopicPayloads[T]) => void,
  ): Promise<Unsubscribe> {
    // Redis parses a message once and hands the same object to every listener: it is read here, never changed.
    const fromOthers = (message: TopicPayloads[T] & { [ORIGIN_FIELD]?: string }) => {
      if (message[ORIGIN_FIELD] !== this.origin) listener(message);
    };
    // Local events first: they do not wait for Redis to answer (or to come back).
    const stopHearingHere = await this.here.subscribe(topic, ambulanceId, listener);
    let subscriptionId: number;
    try {
      subscriptionId =
        ambulanceId === null
          ? await this.pubsub.subscribe(fleetPattern(this.prefix, topic), fromOthers, { pattern: true })
          : await this.pubsub.subscribe(ambulanceChannel(this.prefix, topic, ambulanceId), fromOthers);
    } catch (error) {
      stopHearingHere();
      throw error;
    }
    return () => {
      stopHearingHere();
      this.pubsub.unsubscribe(subscriptionId);
    };
  }

  onReady(listener: () => void): void {
    this.readyListeners.push(listener);
  }

  isReady(): boolean {
    return this.publisher.status === 'ready' && this.subscriberConfirmed;
  }

  async ping(): Promise<void> {
    if (!this.isReady()) throw new Error(`redis is not ready (publisher ${this.publisher.status})`);
    await this.publisher.ping();
  }

  private notifyIfReady(logger: Logger): void {
    if (!this.wasDown || !this.isReady()) return;
    this.wasDown = false;
    logger.info('redis reconnected and subscriptions restored');
    for (const listener of this.readyListeners) listener();
  }

  async close(): Promise<void> {
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}
