import type { EventBus, Unsubscribe } from './event-bus.js';
import { loopTurn } from './loop.turn.js';
import type { Topic, TopicPayloads } from './topics.js';

/** A consumer fell `limit` items behind, so its stream was ended (src/graphql answers SUBSCRIPTION_OVERFLOW). */
export class SubscriptionOverflowError extends Error {
  override readonly name = 'SubscriptionOverflowError';
  constructor() {
    super(
      'Events arrived faster than this subscription consumed them, so it was ended. ' +
        'Resume: subscribe again with `after` set to the cursor of the last item you received; nothing is lost.',
    );
  }
}

/**
 * A bounded queue turned into an async iterator. Items that arrive while the consumer is busy wait,
 * up to `limit`; past that the stream ends with an overflow error instead of growing without bound. The limit
 * counts what was still waiting when the turn of the event loop began: items that arrive together in one turn
 * (a stored batch's events) are a burst the consumer had no chance to read yet, not a sign that it is slow.
 */
export class BoundedQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private readonly waiting: Array<{ resolve: (result: IteratorResult<T>) => void; reject: (error: Error) => void }> =
    [];
  private failure: Error | null = null;
  private finished = false;
  private onFinish: (() => void) | null = null;
  /** The turn of the last push, and how many items were waiting at the first push of that turn. */
  private pushTurn = -1;
  private backlog = 0;

  /** `finalItem`, when given, is delivered as the last item on overflow instead of throwing. */
  constructor(
    private readonly limit: number,
    private readonly finalItem?: (error: Error) => T,
  ) {}

  /** Called once when the consumer stops (return, overflow, or end). */
  whenFinished(callback: () => void): void {
    this.onFinish = callback;
  }

  push(item: T): void {
    if (this.finished || this.failure) return;
    const waiter = this.waiting.shift();
    if (waiter) {
      waiter.resolve({ value: item, done: false });
      return;
    }
    const turn = loopTurn();
    if (turn !== this.pushTurn) {
      this.pushTurn = turn;
      this.backlog = this.items.length;
    }
    if (this.backlog >= this.limit) {
      if (this.finalItem) {
        this.items.length = 0;
        this.items.push(this.finalItem(new SubscriptionOverflowError()));
        this.end();
      } else {
        this.fail(new SubscriptionOverflowError());
      }
      return;
    }
    this.items.push(item);
  }

  /** True once the consumer stopped or the stream ended: nothing more will be delivered. */
  get ended(): boolean {
    return this.finished || this.failure !== null;
  }

  /** Delivers `item` as the last item, dropping any still waiting, and ends the stream. */
  endWith(item: T): void {
    if (this.ended) return;
    this.items.length = 0;
    const waiter = this.waiting.shift();
    if (waiter) waiter.resolve({ value: item, done: false });
    else this.items.push(item);
    this.end();
  }

  fail(error: Error): void {
    if (this.finished) return;
    this.items.length = 0;
    this.failure = error;
    this.release();
  }

  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.release();
    for (const waiter of this.waiting.splice(0)) waiter.resolve({ value: undefined, done: true });
  }

  get size(): number {
    return this.items.length;
  }

  async next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) return { value: item, done: false };
    if (this.failure) {
      const error = this.failure;
      this.finished = true;
      throw error;
    }
    if (this.finished) return { value: undefined, done: true };
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  async return(): Promise<IteratorResult<T>> {
    this.end();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private release(): void {
    const callback = this.onFinish;
    this.onFinish = null;
    callback?.();
    const error = this.failure;
    if (error && this.waiting.length > 0) {
      this.finished = true;
      for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    }
  }
}

/**
 * Subscribes to a topic (one ambulance, or the fleet with null) as a bounded async iterator. `accept`, when
 * given, drops events before they are queued (a scoped caller's fleet subscription sees only its ambulances).
 */
export async function subscribeToTopic<T extends Topic>(
  bus: EventBus,
  topic: T,
  ambulanceId: string | null,
  limit: number,
  accept?: (payload: TopicPayloads[T]) => boolean,
): Promise<AsyncIterableIterator<TopicPayloads[T]>> {
  const queue = new BoundedQueue<TopicPayloads[T]>(limit);
  const unsubscribe: Unsubscribe = await bus.subscribe(topic, ambulanceId, (payload) => {
    if (!accept || accept(payload)) queue.push(payload);
  });
  queue.whenFinished(unsubscribe);
  return queue;
}
