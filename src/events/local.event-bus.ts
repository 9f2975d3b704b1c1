import { EventEmitter } from 'node:events';
import type { EventBus, Unsubscribe } from './event-bus.js';
import type { Topic, TopicPayloads } from './topics.js';

/** In-process pub/sub for a single instance without Redis (the embedded default). */
export class LocalEventBus implements EventBus {
  readonly kind = 'in-process' as const;
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  async publish<T extends Topic>(topic: T, ambulanceId: string, payload: TopicPayloads[T]): Promise<void> {
    this.deliverHere(topic, ambulanceId, payload);
  }

  /** Every listener gets the same object, as from Redis (one parse per message): listeners never change it. */
  deliverHere<T extends Topic>(topic: T, ambulanceId: string, payload: TopicPayloads[T]): void {
    this.emitter.emit(`${topic}.${ambulanceId}`, payload);
    this.emitter.emit(topic, payload);
  }

  /** There are no other instances. */
  async forward(): Promise<void> {}

  async subscribe<T extends Topic>(
    topic: T,
    ambulanceId: string | null,
    listener: (payload: TopicPayloads[T]) => void,
  ): Promise<Unsubscribe> {
    const eventName = ambulanceId === null ? topic : `${topic}.${ambulanceId}`;
    this.emitter.on(eventName, listener);
    return () => {
      this.emitter.off(eventName, listener);
    };
  }

  onReady(): void {}

  isReady(): boolean {
    return true;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
