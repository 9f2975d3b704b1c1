import type { Logger } from 'pino';
import type { EventBus } from './event-bus.js';
import type { Topic, TopicPayloads } from './topics.js';

interface PendingEvent {
  readonly topic: Topic;
  readonly ambulanceId: string;
  readonly payload: TopicPayloads[Topic];
}

const RETRY_DELAY_MS = 250;

/** Told about every notification (metrics); called on the hot path, so it must be cheap and must not throw. */
export interface PublishObserver {
  /** A stored record's notification entered the outbox. */
  accepted(topic: Topic): void;
  /** The bus took the notification. */
  published(topic: Topic, payload: TopicPayloads[Topic]): void;
}

const NO_OBSERVER: PublishObserver = { accepted() {}, published() {} };

/**
 * Publishes notifications of stored data without ever blocking or failing the write that caused them.
 * Events wait in a bounded outbox, in order, while the bus is unavailable and go out when it returns.
 * When the outbox is full the oldest notification is dropped and counted: the data itself is stored,
 * so subscribers can still read it from history.
 */
export class EventPublisher {
  private readonly outbox: PendingEvent[] = [];
  private draining = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private idleWaiters: Array<() => void> = [];
  published = 0;
  dropped = 0;
  failedAttempts = 0;
  /** Times the outbox was retried after a failed attempt. */
  retries = 0;

  constructor(
    private readonly bus: EventBus,
    private readonly limit: number,
    private readonly logger: Logger,
    private readonly observer: PublishObserver = NO_OBSERVER,
  ) {
    bus.onReady(() => this.scheduleDrain(0));
  }

  get pending(): number {
    return this.outbox.length;
  }

  publish<T extends Topic>(topic: T, ambulanceId: string, payload: TopicPayloads[T]): void {
    if (this.outbox.length >= this.limit) {
      this.outbox.shift();
      this.dropped += 1;
      if (this.dropped % 1000 === 1) {
        this.logger.error(
          { dropped: this.dropped, limit: this.limit },
          'event outbox full: dropping oldest notifications',
        );
      }
    }
    this.bus.deliverHere(topic, ambulanceId, payload);
    this.outbox.push({ topic, ambulanceId, payload });
    this.observer.accepted(topic);
    if (!this.retryTimer) this.scheduleDrain(0);
  }

  /** Resolves when every queued event has been handed to the bus, or after timeoutMs. */
  async flush(timeoutMs: number): Promise<boolean> {
    if (this.outbox.length === 0 && !this.draining) return true;
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const result = await Promise.race([idle, timeout]);
    clearTimeout(timer);
    return result;
  }

  stop(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private scheduleDrain(delayMs: number): void {
    if (this.draining) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.drain();
    }, delayMs);
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.outbox.length > 0) {
        const batch = this.outbox.splice(0, 500);
        const results = await Promise.allSettled(
          batch.map((event) => this.bus.forward(event.topic, event.ambulanceId, event.payload)),
        );
        // Everything from the first failure on goes back, in order: subscribers never see an older event after a
        // newer one; an event after the failure that did go out may be delivered twice (at least once).
        const firstFailure = results.findIndex((result) => result.status === 'rejected');
        const failed = firstFailure === -1 ? [] : batch.slice(firstFailure);
        this.published += batch.length - failed.length;
        for (let index = 0; index < batch.length - failed.length; index += 1) {
          const event = batch[index] as PendingEvent;
          this.observer.published(event.topic, event.payload);
        }
        if (failed.length > 0) {
          this.failedAttempts += results.filter((result) => result.status === 'rejected').length;
          this.outbox.unshift(...failed);
          if (this.outbox.length > this.limit)
            this.dropped += this.outbox.splice(0, this.outbox.length - this.limit).length;
          const reason = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
          this.logger.warn(
            { pending: this.outbox.length, err: String(reason.reason) },
            'event publish failed; will retry',
          );
          this.draining = false;
          this.retries += 1;
          this.scheduleDrain(RETRY_DELAY_MS);
          return;
        }
      }
    } finally {
      this.draining = false;
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
