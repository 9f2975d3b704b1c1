import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { pino } from 'pino';
import type { TrackingEvent } from './event.payloads.js';
import { EventPublisher } from './event.publisher.js';
import type { EventBus, Unsubscribe } from './event-bus.js';
import type { Topic, TopicPayloads } from './topics.js';

interface Published {
  readonly topic: Topic;
  readonly ambulanceId: string;
  readonly payload: TopicPayloads[Topic];
}

/** A hand-written bus: records what it accepts, and can be switched to reject like Redis during an outage. */
class RecordingBus implements EventBus {
  readonly kind = 'in-process' as const;
  readonly published: Published[] = [];
  rejecting = false;
  rejected = 0;
  /** While set, publishes stay in flight until it resolves, so events can arrive during an attempt. */
  gate: Promise<void> | null = null;
  inFlight = 0;
  private readonly readyListeners: Array<() => void> = [];

  /** What this instance's own subscribers were given, directly. */
  readonly deliveredHere: Published[] = [];

  async publish<T extends Topic>(topic: T, ambulanceId: string, payload: TopicPayloads[T]): Promise<void> {
    this.deliverHere(topic, ambulanceId, payload);
    await this.forward(topic, ambulanceId, payload);
  }

  deliverHere<T extends Topic>(topic: T, ambulanceId: string, payload: TopicPayloads[T]): void {
    this.deliveredHere.push({ topic, ambulanceId, payload });
  }

  async forward<T extends Topic>(topic: T, ambulanceId: string, payload: TopicPayloads[T]): Promise<void> {
    this.inFlight += 1;
    try {
      await (this.gate ?? Promise.resolve());
    } finally {
      this.inFlight -= 1;
    }
    if (this.rejecting) {
      this.rejected += 1;
      throw new Error('bus unavailable');
    }
    this.published.push({ topic, ambulanceId, payload });
  }

  async subscribe(): Promise<Unsubscribe> {
    return () => {};
  }

  onReady(listener: () => void): void {
    this.readyListeners.push(listener);
  }

  /** Back after an outage, announced like RedisEventBus does. */
  recover(): void {
    this.rejecting = false;
    for (const listener of this.readyListeners) listener();
  }

  isReady(): boolean {
    return !this.rejecting;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  speeds(): Array<number | null> {
    return this.published.map((event) => (event.payload as TrackingEvent).speed);
  }
}

const logger = pino({ level: 'silent' });

function event(speed: number): TrackingEvent {
  return {
    id: '65a1f0c2b3d4e5f6a7b8c9d0',
    ambulanceId: '332',
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

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

/** Polls until the condition holds; fails (never asserts a duration) if it does not within the timeout. */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('EventPublisher', () => {
  const publishers: EventPublisher[] = [];
  const create = (bus: EventBus, limit = 1000) => {
    const publisher = new EventPublisher(bus, limit, logger);
    publishers.push(publisher);
    return publisher;
  };
  afterEach(() => {
    for (const publisher of publishers.splice(0)) publisher.stop();
  });

  it('publishes events in order, on their topic and ambulance', async () => {
    const bus = new RecordingBus();
    const publisher = create(bus);
    for (const speed of range(1, 20)) publisher.publish('TRACKING_UPDATED', '332', event(speed));
    publisher.publish('CRASH_REPORTED', '7', { ...event(99), ambulanceId: '7', mapImageUrl: null });
    assert.equal(await publisher.flush(3000), true);
    assert.deepEqual(bus.speeds(), [...range(1, 20), 99]);
    assert.deepEqual(
      bus.published.map((published) => `${published.topic}.${published.ambulanceId}`),
      [...range(1, 20).map(() => 'TRACKING_UPDATED.332'), 'CRASH_REPORTED.7'],
    );
    assert.equal(publisher.published, 21);
    assert.equal(publisher.pending, 0);
    assert.equal(publisher.dropped, 0);
  });

  it('events published while a delivery is in flight follow it, in order', async () => {
    const bus = new RecordingBus();
    let open = () => {};
    bus.gate = new Promise((resolve) => {
      open = resolve;
    });
    const publisher = create(bus);
    for (const speed of range(1, 3)) publisher.publish('TRACKING_UPDATED', '332', event(speed));
    await waitFor(() => bus.inFlight === 3, 'the first delivery');
    for (const speed of range(4, 6)) publisher.publish('TRACKING_UPDATED', '332', event(speed));
    assert.equal(publisher.pending, 3);
    bus.gate = null;
    open();
    assert.equal(await publisher.flush(3000), true);
    assert.deepEqual(bus.speeds(), range(1, 6));
    assert.equal(publisher.published, 6);
  });

  it('publish() never throws or waits, even while the bus rejects', () => {
    const bus = new RecordingBus();
    bus.rejecting = true;
    const publisher = create(bus);
    assert.equal(publisher.publish('TRACKING_UPDATED', '332', event(1)), undefined);
    assert.equal(publisher.pending, 1);
  });

  it("gives this instance's subscribers each event at once and once, while forwarding to the others waits and retries", async () => {
    const bus = new RecordingBus();
    bus.rejecting = true;
    const publisher = create(bus);
    for (const speed of range(1, 3)) publisher.publish('TRACKING_UPDATED', '332', event(speed));
    assert.deepEqual(
      bus.deliveredHere.map((delivered) => (delivered.payload as TrackingEvent).speed),
      range(1, 3),
      'delivered here before any forwarding, though the bus rejects',
    );
    await waitFor(() => bus.rejected >= 3, 'a rejected attempt');
    bus.recover();
    assert.equal(await publisher.flush(3000), true);
    assert.deepEqual(bus.speeds(), range(1, 3), 'forwarded once the bus is back');
    assert.equal(bus.deliveredHere.length, 3, 'retries forward only: nothing is delivered here twice');
  });

  it('keeps events while the bus rejects and delivers them all, in order, once it is ready again', async () => {
    const bus = new RecordingBus();
    bus.rejecting = true;
    const publisher = create(bus);
    for (const speed of range(1, 5)) publisher.publish('TRACKING_UPDATED', '332', event(speed));
    await waitFor(() => publisher.failedAttempts >= 5, 'a failed attempt');
    assert.equal(publisher.pending, 5);
    assert.equal(bus.published.length, 0);

    for (const speed of range(6, 10)) publisher.publish('TRACKING_UPDATED', '332', event(speed));
    assert.equal(publisher.pending, 10);
    assert.equal(publisher.dropped, 0);

    bus.recover();
    assert.equal(await publisher.flush(3000), true);
    assert.deepEqual(bus.speeds(), range(1, 10));
    assert.equal(publisher.pending, 0);
    assert.equal(publisher.published, 10);
    assert.equal(publisher.dropped, 0);
  });

  it('drains when the bus signals ready, without waiting for the retry delay', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const settle = async () => {
      for (let index = 0; index < 5; index += 1) await new Promise((resolve) => setImmediate(resolve));
    };
    const bus = new RecordingBus();
    bus.rejecting = true;
    const publisher = create(bus);
    publisher.publish('TRACKING_UPDATED', '332', event(1));
    publisher.publish('TRACKING_UPDATED', '332', event(2));
    t.mock.timers.tick(0);
    await settle();
    assert.equal(publisher.failedAttempts, 2);
    assert.equal(publisher.pending, 2);

    // The transport works again but has not announced it: the retry waits for its delay.
    bus.rejecting = false;
    t.mock.timers.tick(0);
    await settle();
    assert.equal(bus.published.length, 0);

    bus.recover();
    t.mock.timers.tick(0);
    await settle();
    assert.deepEqual(bus.speeds(), [1, 2]);
    assert.equal(publisher.pending, 0);
  });

  it('retries after the retry delay when no ready signal comes', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const settle = async () => {
      for (let index = 0; index < 5; index += 1) await new Promise((resolve) => setImmediate(resolve));
    };
    const bus = new RecordingBus();
    bus.rejecting = true;
    const publisher = create(bus);
    publisher.publish('TRACKING_UPDATED', '332', event(1));
    t.mock.timers.tick(0);
    await settle();
    assert.equal(publisher.failedAttempts, 1);
    bus.rejecting = false;
    t.mock.timers.tick(1000);
    await settle();
    assert.deepEqual(bus.speeds(), [1]);
    assert.equal(publisher.pending, 0);
  });

  it('retries on its own after a failure, without an onReady signal', async () => {
    const bus = new RecordingBus();
    bus.rejecting = true;
    const publisher = create(bus);
    for (const speed of range(1, 3)) publisher.publish('TRACKING_UPDATED', '332', event(speed));
    await waitFor(() => publisher.failedAttempts >= 3, 'a failed attempt');
    bus.rejecting = false;
    await waitFor(() => bus.published.length === 3, 'the retry');
    assert.deepEqual(bus.speeds(), [1, 2, 3]);
    assert.equal(publisher.pending, 0);
  });

  it('keeps retrying through repeated failures', async () => {
    const bus = new RecordingBus();
    bus.rejecting = true;
    const publisher = create(bus);
    publisher.publish('TRACKING_UPDATED', '332', event(1));
    await waitFor(() => publisher.failedAttempts >= 2, 'two failed attempts');
    assert.equal(publisher.pending, 1);
    bus.recover();
    assert.equal(await publisher.flush(3000), true);
    assert.deepEqual(bus.speeds(), [1]);
  });

  it('drops the oldest events past the outbox limit and counts them', async () => {
    const bus = new RecordingBus();
    bus.rejecting = true;
    const publisher = create(bus, 5);
    for (const speed of range(1, 8)) publisher.publish('TRACKING_UPDATED', '332', event(speed));
    assert.equal(publisher.pending, 5);
    assert.equal(publisher.dropped, 3);
    await waitFor(() => publisher.failedAttempts >= 5, 'a failed attempt');
    assert.equal(publisher.pending, 5);

    for (const speed of range(9, 10)) publisher.publish('TRACKING_UPDATED', '332', event(speed));
    assert.equal(publisher.pending, 5);
    assert.equal(publisher.dropped, 5);

    bus.recover();
    assert.equal(await publisher.flush(3000), true);
    assert.deepEqual(bus.speeds(), range(6, 10));
    assert.equal(publisher.dropped, 5);
    assert.equal(publisher.published, 5);
  });

  it('drops the oldest when events arrive while a failing attempt is in flight', async () => {
    const bus = new RecordingBus();
    bus.rejecting = true;
    let open = () => {};
    bus.gate = new Promise((resolve) => {
      open = resolve;
    });
    const publisher = create(bus, 3);
    for (const speed of range(1, 3)) publisher.publish('TRACKING_UPDATED', '332', event(speed));
    // Let the drain take the batch off the outbox, then publish while its attempts are pending.
    await waitFor(() => bus.inFlight === 3, 'the drain to take the batch');
    assert.equal(publisher.pending, 0);
    assert.equal(publisher.failedAttempts, 0);
    for (const speed of range(4, 5)) publisher.publish('TRACKING_UPDATED', '332', event(speed));
    assert.equal(publisher.pending, 2);
    assert.equal(publisher.dropped, 0);
    bus.gate = null;
    open();
    await waitFor(() => publisher.failedAttempts >= 3, 'a failed attempt');
    assert.equal(publisher.pending, 3);
    assert.equal(publisher.dropped, 2);
    bus.recover();
    assert.equal(await publisher.flush(3000), true);
    assert.deepEqual(bus.speeds(), [3, 4, 5]);
  });

  it('flush() resolves true at once when there is nothing to send', async () => {
    const publisher = create(new RecordingBus());
    assert.equal(await publisher.flush(1000), true);
  });

  it('flush() resolves false on timeout while the bus rejects, and true once drained', async () => {
    const bus = new RecordingBus();
    bus.rejecting = true;
    const publisher = create(bus);
    publisher.publish('TRACKING_UPDATED', '332', event(1));
    assert.equal(await publisher.flush(50), false);
    assert.equal(publisher.pending, 1);
    const flushed = publisher.flush(3000);
    bus.recover();
    assert.equal(await flushed, true);
    assert.deepEqual(bus.speeds(), [1]);
  });
});
