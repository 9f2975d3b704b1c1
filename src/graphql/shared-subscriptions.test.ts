import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLBoolean,
  GraphQLError,
  GraphQLFloat,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
} from 'graphql';
import { GraphQLErrorCode } from '../errors/error.codes.js';
import type { TrackingEvent } from '../events/event.payloads.js';
import { BoundedQueue, subscribeToTopic } from '../events/event.stream.js';
import { LocalEventBus } from '../events/local.event-bus.js';
import { SharedSubscriptions } from './shared-subscriptions.js';

/** Holds the next source's `return()` until `release` is called, when set. */
interface ReturnGate {
  next: Promise<void> | null;
}

/** Wraps a topic stream so the test can see when graphql-js (through SharedSubscriptions) closes it. */
class ObservedSource implements AsyncIterableIterator<TrackingEvent> {
  returned = 0;
  constructor(
    readonly inner: AsyncIterableIterator<TrackingEvent>,
    private readonly gate: ReturnGate,
  ) {}
  next(): Promise<IteratorResult<TrackingEvent>> {
    return this.inner.next();
  }
  async return(): Promise<IteratorResult<TrackingEvent>> {
    this.returned += 1;
    const held = this.gate.next;
    this.gate.next = null;
    if (held) await held;
    return (await this.inner.return?.()) ?? { value: undefined, done: true };
  }
  [Symbol.asyncIterator](): AsyncIterableIterator<TrackingEvent> {
    return this;
  }
}

interface Harness {
  readonly bus: LocalEventBus;
  readonly schema: GraphQLSchema;
  readonly sources: ObservedSource[];
  readonly counts: { subscribe: number; resolve: number };
  readonly gate: ReturnGate;
}

function harness(): Harness {
  const bus = new LocalEventBus();
  const sources: ObservedSource[] = [];
  const counts = { subscribe: 0, resolve: 0 };
  const gate: ReturnGate = { next: null };
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLBoolean, resolve: () => true } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        speed: {
          type: GraphQLFloat,
          args: { ambulanceId: { type: new GraphQLNonNull(GraphQLString) } },
          subscribe: async (_root: unknown, args: { ambulanceId: string }) => {
            counts.subscribe += 1;
            if (args.ambulanceId === 'forbidden') throw new GraphQLError('not allowed');
            const source = new ObservedSource(
              await subscribeToTopic(bus, 'TRACKING_UPDATED', args.ambulanceId, 1000),
              gate,
            );
            sources.push(source);
            return source;
          },
          resolve: (payload: unknown) => {
            counts.resolve += 1;
            return (payload as TrackingEvent).speed;
          },
        },
      },
    }),
  });
  return { bus, schema, sources, counts, gate };
}

const SPEED = parse('subscription Speed($id: String!) { speed(ambulanceId: $id) }');

const argsFor = (schema: GraphQLSchema, id: string, contextValue?: unknown): ExecutionArgs => ({
  schema,
  document: SPEED,
  variableValues: { id },
  contextValue,
});

function event(ambulanceId: string, speed: number): TrackingEvent {
  return {
    id: '65a1f0c2b3d4e5f6a7b8c9d0',
    ambulanceId,
    latitude: 1,
    longitude: 2,
    speed,
    heading: 0,
    state: 'GREEN',
    recordedAt: '2024-01-01T00:00:00.000Z',
    speedingEpisodeId: null,
    deviceTime: null,
  };
}

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

async function waitFor(condition: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** True when the promise is still pending after pending callbacks and timers have had a chance to run. */
async function isPending(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  const result = await Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(marker), 20))]);
  return result === marker;
}

function asStream(
  value: AsyncIterableIterator<ExecutionResult> | ExecutionResult,
): AsyncIterableIterator<ExecutionResult> {
  assert.ok(Symbol.asyncIterator in value, `expected a stream, got ${JSON.stringify(value)}`);
  return value as AsyncIterableIterator<ExecutionResult>;
}

async function nextResult(stream: AsyncIterableIterator<ExecutionResult>): Promise<ExecutionResult> {
  const step = await within(stream.next());
  assert.equal(step.done, false, 'stream ended early');
  return step.value as ExecutionResult;
}

/** The next result as plain JSON, as a client receives it (graphql-js builds null-prototype objects). */
async function nextJson(stream: AsyncIterableIterator<ExecutionResult>): Promise<unknown> {
  return JSON.parse(JSON.stringify(await nextResult(stream)));
}

describe('SharedSubscriptions', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  const setup = (queueLimit = 100) => {
    const h = harness();
    const shared = new SharedSubscriptions(queueLimit);
    cleanups.push(async () => {
      await shared.close();
      await h.bus.close();
    });
    return { ...h, shared };
  };

  it('runs one execution for subscribers of the same document and variables', async () => {
    const { bus, schema, sources, counts, shared } = setup();
    const first = asStream(await shared.subscribe(argsFor(schema, '332')));
    const second = asStream(await shared.subscribe(argsFor(schema, '332')));
    assert.equal(shared.activeOperations, 1);
    assert.equal(shared.activeSubscribers, 2);
    assert.equal(counts.subscribe, 1);
    assert.equal(sources.length, 1);

    await bus.publish('TRACKING_UPDATED', '332', event('332', 90));
    assert.deepEqual(await nextJson(first), { data: { speed: 90 } });
    assert.deepEqual(await nextJson(second), { data: { speed: 90 } });
    assert.equal(counts.resolve, 1);

    await bus.publish('TRACKING_UPDATED', '332', event('332', 130));
    assert.deepEqual(await nextJson(second), { data: { speed: 130 } });
    assert.deepEqual(await nextJson(first), { data: { speed: 130 } });
    assert.equal(counts.resolve, 2);
  });

  it('shares one execution between subscribers that arrive at the same time', async () => {
    const { bus, schema, sources, counts, shared } = setup();
    const [first, second] = (
      await Promise.all([shared.subscribe(argsFor(schema, '332')), shared.subscribe(argsFor(schema, '332'))])
    ).map(asStream);
    assert.ok(first && second);
    assert.equal(shared.activeOperations, 1);
    assert.equal(shared.activeSubscribers, 2);
    // Both subscribed before either was registered; the extra source is closed at once.
    assert.equal(sources.filter((source) => source.returned > 0).length, sources.length - 1);

    await bus.publish('TRACKING_UPDATED', '332', event('332', 50));
    assert.deepEqual(await nextJson(first), { data: { speed: 50 } });
    assert.deepEqual(await nextJson(second), { data: { speed: 50 } });
    assert.equal(counts.resolve, 1);
  });

  it('a subscriber that raced an operation which then ended starts it again', async () => {
    const { bus, schema, sources, counts, gate, shared } = setup();
    let release: () => void = () => {};
    gate.next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const firstSubscribing = shared.subscribe(argsFor(schema, '332'));
    const secondSubscribing = shared.subscribe(argsFor(schema, '332'));
    const first = asStream(await firstSubscribing);
    // The second found the first's operation and is closing its own source (held here); the first leaves.
    await waitFor(() => sources.some((source) => source.returned > 0), 'the raced source closing');
    await first.return?.();
    assert.equal(shared.activeOperations, 0, 'the operation ended with its only subscriber');
    release();
    const second = asStream(await secondSubscribing);
    assert.equal(shared.activeOperations, 1, 'started again for the second');
    assert.equal(counts.subscribe, 3);
    await bus.publish('TRACKING_UPDATED', '332', event('332', 70));
    assert.deepEqual(await nextJson(second), { data: { speed: 70 } });
  });

  it('runs separate operations for different variables', async () => {
    const { bus, schema, counts, shared } = setup();
    const a = asStream(await shared.subscribe(argsFor(schema, '1')));
    const b = asStream(await shared.subscribe(argsFor(schema, '2')));
    assert.equal(shared.activeOperations, 2);
    assert.equal(counts.subscribe, 2);

    await bus.publish('TRACKING_UPDATED', '2', event('2', 20));
    await bus.publish('TRACKING_UPDATED', '1', event('1', 10));
    assert.deepEqual(await nextJson(a), { data: { speed: 10 } });
    assert.deepEqual(await nextJson(b), { data: { speed: 20 } });
    assert.equal(counts.resolve, 2);
    assert.equal(await isPending(a.next()), true);
  });

  it('runs separate operations for different subscription scopes', async () => {
    const { schema, counts, shared } = setup();
    await shared.subscribe(argsFor(schema, '332', { subscriptionScope: 'team-a' }));
    await shared.subscribe(argsFor(schema, '332', { subscriptionScope: 'team-b' }));
    await shared.subscribe(argsFor(schema, '332', { subscriptionScope: 'team-a' }));
    assert.equal(shared.activeOperations, 2);
    assert.equal(shared.activeSubscribers, 3);
    assert.equal(counts.subscribe, 2);
  });

  it('disposing one subscriber keeps the other', async () => {
    const { bus, schema, sources, shared } = setup();
    const first = asStream(await shared.subscribe(argsFor(schema, '332')));
    const second = asStream(await shared.subscribe(argsFor(schema, '332')));
    assert.deepEqual(await first.return?.(), { value: undefined, done: true });
    assert.deepEqual(await first.next(), { value: undefined, done: true });
    assert.equal(shared.activeOperations, 1);
    assert.equal(shared.activeSubscribers, 1);
    assert.equal(sources[0]?.returned, 0);

    await bus.publish('TRACKING_UPDATED', '332', event('332', 77));
    assert.deepEqual(await nextJson(second), { data: { speed: 77 } });
  });

  it('disposing every subscriber ends the source', async () => {
    const { bus, schema, sources, counts, shared } = setup();
    const first = asStream(await shared.subscribe(argsFor(schema, '332')));
    const second = asStream(await shared.subscribe(argsFor(schema, '332')));
    const waiting = second.next();
    await first.return?.();
    await second.return?.();
    assert.deepEqual(await within(waiting), { value: undefined, done: true });
    assert.equal(shared.activeOperations, 0);
    assert.equal(shared.activeSubscribers, 0);
    await waitFor(() => sources[0]?.returned === 1, 'the source to be returned');

    await bus.publish('TRACKING_UPDATED', '332', event('332', 10));
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(counts.resolve, 0);

    // A new subscriber starts a new execution.
    const third = asStream(await shared.subscribe(argsFor(schema, '332')));
    assert.equal(counts.subscribe, 2);
    assert.equal(shared.activeOperations, 1);
    await bus.publish('TRACKING_UPDATED', '332', event('332', 11));
    assert.deepEqual(await nextJson(third), { data: { speed: 11 } });
  });

  it('a burst of many times the limit in one turn (a stored batch) reaches every reading consumer whole', async () => {
    const limit = 3;
    const { bus, schema, shared } = setup(limit);
    const first = asStream(await shared.subscribe(argsFor(schema, '332')));
    const second = asStream(await shared.subscribe(argsFor(schema, '332')));
    const speeds = Array.from({ length: limit * 5 }, (_, at) => at + 1);
    await Promise.all(speeds.map((speed) => bus.publish('TRACKING_UPDATED', '332', event('332', speed))));
    for (const stream of [first, second]) {
      for (const speed of speeds) assert.deepEqual(await nextJson(stream), { data: { speed } });
    }
    assert.equal(shared.activeSubscribers, 2);
  });

  it('a consumer that never reads overflows on its own while the other keeps receiving', async () => {
    const limit = 3;
    const { bus, schema, shared } = setup(limit);
    const slow = asStream(await shared.subscribe(argsFor(schema, '332')));
    const fast = asStream(await shared.subscribe(argsFor(schema, '332')));

    for (let speed = 1; speed <= limit + 2; speed += 1) {
      await bus.publish('TRACKING_UPDATED', '332', event('332', speed));
      assert.deepEqual(await nextJson(fast), { data: { speed } });
      // Each event in a turn of its own: the slow consumer falls behind over turns, not in one burst.
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(shared.activeSubscribers, 1);
    assert.equal(shared.activeOperations, 1);

    const overflow = await nextResult(slow);
    assert.equal(overflow.data, undefined);
    assert.equal(overflow.errors?.length, 1);
    assert.equal(overflow.errors?.[0]?.extensions.code, GraphQLErrorCode.SubscriptionOverflow);
    assert.deepEqual(await within(slow.next()), { value: undefined, done: true });

    await bus.publish('TRACKING_UPDATED', '332', event('332', 100));
    assert.deepEqual(await nextJson(fast), { data: { speed: 100 } });
  });

  it('returns the error result when the subscription cannot start, without keeping an operation', async () => {
    const { schema, shared } = setup();
    const result = await shared.subscribe(argsFor(schema, 'forbidden'));
    assert.ok(!(Symbol.asyncIterator in result));
    const errors = (result as ExecutionResult).errors;
    assert.equal(errors?.[0]?.message, 'not allowed');
    assert.equal(shared.activeOperations, 0);
    assert.equal(shared.activeSubscribers, 0);
  });

  it('ends every subscriber when the source ends', async () => {
    const { schema, sources, shared } = setup();
    const first = asStream(await shared.subscribe(argsFor(schema, '332')));
    const second = asStream(await shared.subscribe(argsFor(schema, '332')));
    await sources[0]?.return();
    assert.deepEqual(await within(first.next()), { value: undefined, done: true });
    assert.deepEqual(await within(second.next()), { value: undefined, done: true });
    assert.equal(shared.activeOperations, 0);
  });

  it('a failing source ends every subscriber with a masked error', async () => {
    const { schema, sources, shared } = setup();
    const first = asStream(await shared.subscribe(argsFor(schema, '332')));
    const second = asStream(await shared.subscribe(argsFor(schema, '332')));
    const inner = sources[0]?.inner;
    assert.ok(inner instanceof BoundedQueue);
    inner.fail(new Error('redis connection lost at 10.0.0.5'));
    for (const stream of [first, second]) {
      const result = await nextResult(stream);
      assert.equal(result.errors?.[0]?.extensions.code, 'INTERNAL_SERVER_ERROR');
      assert.ok(!result.errors?.[0]?.message.includes('10.0.0.5'));
      assert.deepEqual(await within(stream.next()), { value: undefined, done: true });
    }
    assert.equal(shared.activeOperations, 0);
  });

  it('close() ends every subscriber and source', async () => {
    const { schema, sources, shared } = setup();
    const a = asStream(await shared.subscribe(argsFor(schema, '1')));
    const b = asStream(await shared.subscribe(argsFor(schema, '2')));
    await shared.close();
    assert.deepEqual(await within(a.next()), { value: undefined, done: true });
    assert.deepEqual(await within(b.next()), { value: undefined, done: true });
    assert.equal(shared.activeOperations, 0);
    assert.deepEqual(
      sources.map((source) => source.returned),
      [1, 1],
    );
  });
});
