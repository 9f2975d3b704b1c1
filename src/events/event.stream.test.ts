import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrackingEvent } from './event.payloads.js';
import { BoundedQueue, SubscriptionOverflowError, subscribeToTopic } from './event.stream.js';
import type { Unsubscribe } from './event-bus.js';
import { LocalEventBus } from './local.event-bus.js';
import type { Topic, TopicPayloads } from './topics.js';

/** Settles within `ms` or fails the test; never asserts how long anything took. */
async function within<T>(promise: Promise<T>, ms = 2000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** True when the promise is still pending after pending callbacks and timers have had a chance to run. */
async function isPending(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  const result = await Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(marker), 20))]);
  return result === marker;
}

/** Lets the event loop finish its turn: what a queue holds then is a backlog, no longer a burst. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function assertOverflow(error: unknown): true {
  assert.ok(error instanceof SubscriptionOverflowError, `expected SubscriptionOverflowError, got ${String(error)}`);
  assert.match(error.message, /subscribe again/);
  return true;
}

function trackingEvent(ambulanceId: string, speed: number): TrackingEvent {
  return {
    id: `65a1f0c2b3d4e5f6a7b8c9${String(speed).padStart(2, '0')}`,
    ambulanceId,
    latitude: 45.5,
    longitude: -73.6,
    speed,
    heading: 90,
    state: 'GREEN',
    recordedAt: '2024-03-05T10:20:30.456Z',
    speedingEpisodeId: null,
    deviceTime: null,
  };
}

describe('BoundedQueue', () => {
  it('delivers buffered items in order', async () => {
    const queue = new BoundedQueue<number>(10);
    queue.push(1);
    queue.push(2);
    queue.push(3);
    assert.equal(queue.size, 3);
    assert.deepEqual(await queue.next(), { value: 1, done: false });
    assert.deepEqual(await queue.next(), { value: 2, done: false });
    assert.deepEqual(await queue.next(), { value: 3, done: false });
    assert.equal(queue.size, 0);
  });

  it('a waiting consumer receives the next item pushed', async () => {
    const queue = new BoundedQueue<string>(10);
    const first = queue.next();
    const second = queue.next();
    assert.equal(await isPending(first), true);
    queue.push('a');
    queue.push('b');
    assert.deepEqual(await within(first), { value: 'a', done: false });
    assert.deepEqual(await within(second), { value: 'b', done: false });
    assert.equal(queue.size, 0);
  });

  it('works with for await', async () => {
    const queue = new BoundedQueue<number>(10);
    for (let index = 0; index < 5; index += 1) queue.push(index);
    queue.end();
    const seen: number[] = [];
    for await (const item of queue) seen.push(item);
    assert.deepEqual(seen, [0, 1, 2, 3, 4]);
  });

  it('return() ends the stream, resolves waiting consumers and calls whenFinished once', async () => {
    const queue = new BoundedQueue<number>(10);
    let finished = 0;
    queue.whenFinished(() => {
      finished += 1;
    });
    const waiting = queue.next();
    assert.deepEqual(await queue.return(), { value: undefined, done: true });
    assert.deepEqual(await within(waiting), { value: undefined, done: true });
    assert.deepEqual(await queue.next(), { value: undefined, done: true });
    await queue.return();
    queue.end();
    queue.push(1);
    assert.equal(queue.size, 0);
    assert.deepEqual(await queue.next(), { value: undefined, done: true });
    assert.equal(finished, 1);
  });

  it('holds exactly `limit` items without overflowing', async () => {
    const queue = new BoundedQueue<number>(3);
    let finished = 0;
    queue.whenFinished(() => {
      finished += 1;
    });
    queue.push(1);
    queue.push(2);
    queue.push(3);
    assert.equal(finished, 0);
    assert.deepEqual(await queue.next(), { value: 1, done: false });
    queue.push(4);
    assert.deepEqual(await queue.next(), { value: 2, done: false });
    assert.deepEqual(await queue.next(), { value: 3, done: false });
    assert.deepEqual(await queue.next(), { value: 4, done: false });
    assert.equal(finished, 0);
  });

  it('overflow past the limit rejects next() with SubscriptionOverflowError and finishes once', async () => {
    const queue = new BoundedQueue<number>(2);
    let finished = 0;
    queue.whenFinished(() => {
      finished += 1;
    });
    queue.push(1);
    queue.push(2);
    await nextTurn();
    queue.push(3);
    assert.equal(finished, 1);
    await assert.rejects(queue.next(), assertOverflow);
    queue.push(4);
    await queue.return();
    assert.equal(finished, 1);
  });

  it('return() after an overflow does not call whenFinished again', async () => {
    const queue = new BoundedQueue<number>(1);
    let finished = 0;
    queue.whenFinished(() => {
      finished += 1;
    });
    queue.push(1);
    await nextTurn();
    queue.push(2);
    assert.equal(finished, 1);
    await queue.return();
    queue.end();
    assert.equal(finished, 1);
  });

  it('fail() rejects a consumer that is already waiting', async () => {
    const queue = new BoundedQueue<number>(2);
    const waiting = queue.next();
    queue.fail(new SubscriptionOverflowError());
    await assert.rejects(within(waiting), assertOverflow);
  });

  it('with finalItem, overflow yields the final item then done', async () => {
    const queue = new BoundedQueue<string>(2, (error) => `final: ${error.name}`);
    let finished = 0;
    queue.whenFinished(() => {
      finished += 1;
    });
    queue.push('a');
    queue.push('b');
    await nextTurn();
    queue.push('c');
    queue.push('d');
    assert.equal(finished, 1);
    assert.deepEqual(await queue.next(), { value: 'final: SubscriptionOverflowError', done: false });
    assert.deepEqual(await queue.next(), { value: undefined, done: true });
    assert.deepEqual(await queue.next(), { value: undefined, done: true });
    await queue.return();
    assert.equal(finished, 1);
  });

  it('finalItem receives the SubscriptionOverflowError', async () => {
    const errors: unknown[] = [];
    const queue = new BoundedQueue<number>(1, (error) => {
      errors.push(error);
      return -1;
    });
    queue.push(1);
    await nextTurn();
    queue.push(2);
    assert.equal(errors.length, 1);
    assertOverflow(errors[0]);
  });
});

describe('BoundedQueue: bursts and backlogs', () => {
  it('takes a burst of many times the limit within one turn, and delivers all of it in order', async () => {
    const queue = new BoundedQueue<number>(3);
    for (let item = 1; item <= 20; item += 1) queue.push(item);
    const read: number[] = [];
    for (let item = 1; item <= 20; item += 1) read.push((await within(queue.next())).value as number);
    assert.deepEqual(
      read,
      Array.from({ length: 20 }, (_, at) => at + 1),
    );
    assert.equal(queue.ended, false);
  });

  it('a burst left unread overflows at the next turn that brings more', async () => {
    const queue = new BoundedQueue<number>(3);
    for (let item = 1; item <= 20; item += 1) queue.push(item);
    await nextTurn();
    queue.push(21);
    assert.equal(queue.ended, true);
    await assert.rejects(queue.next(), assertOverflow);
  });

  it('a backlog under the limit at the start of a turn takes that turn’s burst too', async () => {
    const queue = new BoundedQueue<number>(3);
    queue.push(1);
    queue.push(2);
    await nextTurn();
    for (let item = 3; item <= 10; item += 1) queue.push(item);
    assert.equal(queue.ended, false);
    assert.equal(queue.size, 10);
  });
});

describe('subscribeToTopic', () => {
  /** A real LocalEventBus whose unsubscribe calls are counted. */
  function countingBus(): { bus: LocalEventBus; unsubscribed: () => number } {
    const bus = new LocalEventBus();
    let unsubscribed = 0;
    const subscribe = bus.subscribe.bind(bus);
    bus.subscribe = async <T extends Topic>(
      topic: T,
      ambulanceId: string | null,
      listener: (payload: TopicPayloads[T]) => void,
    ): Promise<Unsubscribe> => {
      const unsubscribe = await subscribe(topic, ambulanceId, listener);
      return () => {
        unsubscribed += 1;
        unsubscribe();
      };
    };
    return { bus, unsubscribed: () => unsubscribed };
  }

  it('delivers the ambulance events in order and nothing from other ambulances', async () => {
    const { bus } = countingBus();
    const stream = await subscribeToTopic(bus, 'TRACKING_UPDATED', '332', 10);
    await bus.publish('TRACKING_UPDATED', '999', trackingEvent('999', 1));
    await bus.publish('TRACKING_UPDATED', '332', trackingEvent('332', 2));
    await bus.publish('CRASH_REPORTED', '332', { ...trackingEvent('332', 3), mapImageUrl: null });
    await bus.publish('TRACKING_UPDATED', '332', trackingEvent('332', 4));
    assert.deepEqual(await within(stream.next()), { value: trackingEvent('332', 2), done: false });
    assert.deepEqual(await within(stream.next()), { value: trackingEvent('332', 4), done: false });
    assert.equal(await isPending(stream.next()), true);
    await stream.return?.();
    await bus.close();
  });

  it('a fleet subscription (null) receives every ambulance', async () => {
    const { bus } = countingBus();
    const stream = await subscribeToTopic(bus, 'TRACKING_UPDATED', null, 10);
    await bus.publish('TRACKING_UPDATED', '1', trackingEvent('1', 10));
    await bus.publish('TRACKING_UPDATED', '2', trackingEvent('2', 20));
    assert.equal((await within(stream.next())).value?.ambulanceId, '1');
    assert.equal((await within(stream.next())).value?.ambulanceId, '2');
    await stream.return?.();
    await bus.close();
  });

  it('unsubscribes from the bus on return(), once', async () => {
    const { bus, unsubscribed } = countingBus();
    const stream = await subscribeToTopic(bus, 'TRACKING_UPDATED', '332', 10);
    const waiting = stream.next();
    assert.equal(unsubscribed(), 0);
    await stream.return?.();
    assert.equal(unsubscribed(), 1);
    assert.deepEqual(await within(waiting), { value: undefined, done: true });
    await bus.publish('TRACKING_UPDATED', '332', trackingEvent('332', 5));
    assert.deepEqual(await stream.next(), { value: undefined, done: true });
    await stream.return?.();
    assert.equal(unsubscribed(), 1);
    await bus.close();
  });

  it('overflows and unsubscribes when the consumer does not keep up', async () => {
    const { bus, unsubscribed } = countingBus();
    const stream = await subscribeToTopic(bus, 'TRACKING_UPDATED', '332', 2);
    for (let speed = 1; speed <= 3; speed += 1) {
      await bus.publish('TRACKING_UPDATED', '332', trackingEvent('332', speed));
      await nextTurn();
    }
    assert.equal(unsubscribed(), 1);
    await assert.rejects(stream.next(), assertOverflow);
    await bus.close();
  });
});
