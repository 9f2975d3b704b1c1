import type { PubSub } from 'type-graphql';
import { BoundedQueue } from './event.stream.js';
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
 * before the operation starts); this adapter serves `topics`-style subscriptions. Publishing goes
 * through EventPublisher only, after the data is stored, never through here.
 */
export function eventBusPubSub(bus: EventBus, queueLimit: number): PubSub {
  return {
    publish(routingKey: string) {
      throw new Error(`publish "${routingKey}" through EventPublisher, after the data is stored`);
    },
    subscribe(routingKey: string, dynamicId?: unknown) {
      const topic = asTopic(routingKey);
      const ambulanceId = typeof dynamicId === 'string' ? dynamicId : null;
      const queue = new BoundedQueue<TopicPayloads[Topic]>(queueLimit);
      const subscribed = bus.subscribe(topic, ambulanceId, (payload) => queue.push(payload));
      subscribed.catch((error: unknown) => queue.fail(error instanceof Error ? error : new Error(String(error))));
      queue.whenFinished(() => {
        subscribed.then((unsubscribe) => unsubscribe()).catch(() => {});
      });
      return queue;
    },
  };
}
