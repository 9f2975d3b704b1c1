import type { Topic, TopicPayloads } from './topics.js';

export type Unsubscribe = () => void;

/** Carries stored-data notifications between server instances (Redis) or within one process. */
export interface EventBus {
  readonly kind: 'redis' | 'in-process';
  /** To every subscriber, this instance's and the others'. Rejects when the others cannot be reached now. */
  publish<T extends Topic>(topic: T, ambulanceId: string, payload: TopicPayloads[T]): Promise<void>;
  /** To this instance's subscribers only, now (no transport in between). */
  deliverHere<T extends Topic>(topic: T, ambulanceId: string, payload: TopicPayloads[T]): void;
  /**
   * To the other instances' subscribers only. Rejects when the transport cannot take the event now; callers
   * retry (see EventPublisher).
   */
  forward<T extends Topic>(topic: T, ambulanceId: string, payload: TopicPayloads[T]): Promise<void>;
  /** `ambulanceId` null listens to the whole fleet. */
  subscribe<T extends Topic>(
    topic: T,
    ambulanceId: string | null,
    listener: (payload: TopicPayloads[T]) => void,
  ): Promise<Unsubscribe>;
  /** Fires when the transport becomes usable again after an outage. */
  onReady(listener: () => void): void;
  isReady(): boolean;
  /** Rejects unless the transport answers now (readiness probe). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
