import type { PubSub } from 'type-graphql';
import { subscribeToTopic } from './event.stream.js';
import type { EventBus } from './event-bus.js';
import { type Topic, type TopicPayloads, Topics } from './topics.js';

const TOPICS = new Set<string>(Object.values(Topics));

function asTopic(routingKey: string): Topic {
  if (!TOPICS.has(routingKey)) throw new Error(`unknown topic "${routingKey}"`);
  return routingKey as Topic;
}

/**
 * The thin adapter type-graphql 2 needs: its PubSub returns async iterables, RedisPubSub (behind the
 * EventBus) takes callbacks. `dynamicId` is the ambulance id, or null/undefined for the fleet.
 * Resolvers subscribe through `subscribeToTopic` directly (so the Redis subscription is confirmed
 * before the operation starts); this adapter serves `topics`-style subscriptions and manual publishes.
 */
export function eventBusPubSub(bus: EventBus, queueLimit: number): PubSub {
  return {
    publish(routingKey: string, ...args: unknown[]) {
      const [ambulanceId, payload] = args as [string, TopicPayloads[Topic]];
      void bus.publish(asTopic(routingKey), ambulanceId, payload);
    },
    subscribe(routingKey: string, dynamicId?: unknown) {
      const topic = asTopic(routingKey);
      const ambulanceId = typeof dynamicId === 'string' ? dynamicId : null;
      return {
        async *[Symbol.asyncIterator]() {
          const stream = await subscribeToTopic(bus, topic, ambulanceId, queueLimit);
          try {
            yield* stream;
          } finally {
            await stream.return?.();
          }
        },
      };
    },
  };
}
