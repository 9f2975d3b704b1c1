import { Types } from 'mongoose';
import type { Logger } from 'pino';
import { type ItemCursorPosition, POSITION_ONLY_ID } from '../domain/cursor.js';
import { cursorExpiredError } from '../errors/graphql.errors.js';
import { crashEventOf, snapshotEventOf, trackingEventOf } from '../events/event.mappers.js';
import { BoundedQueue } from '../events/event.stream.js';
import type { EventBus } from '../events/event-bus.js';
import type { LoggedTopic } from '../events/topics.js';
import { ambulanceIdFilter } from '../models/ambulance-id.filter.js';
import type { CrashDoc } from '../models/crash.model.js';
import type { ImageRecordDoc } from '../models/image.model.js';
import { logCollection, type Models } from '../models/models.js';
import type { LogName, SequencedDoc } from '../models/stream.positions.js';
import type { TrackingDoc } from '../models/tracking.model.js';
import { type FollowerOptions, LogFollower, type Payload } from './log.follower.js';

export interface StreamOptions extends FollowerOptions {
  /** Oldest cursor a subscription may resume from, by the time of its item; 0 for no bound. */
  readonly maxResumeAgeMs: number;
}

interface LogOf {
  readonly log: LogName;
  readonly timeField: 'count_datetime' | 'createdAt';
  readonly toPayload: (doc: SequencedDoc) => Payload<LoggedTopic>;
}

const LOGS: Record<LoggedTopic, LogOf> = {
  TRACKING_UPDATED: {
    log: 'trackings',
    timeField: 'count_datetime',
    toPayload: (doc) => trackingEventOf(doc as unknown as TrackingDoc),
  },
  CRASH_REPORTED: {
    log: 'crashes',
    timeField: 'count_datetime',
    toPayload: (doc) => crashEventOf(doc as unknown as CrashDoc),
  },
  SNAPSHOT_UPLOADED: {
    log: 'snapshots',
    timeField: 'createdAt',
    toPayload: (doc) => snapshotEventOf(doc as unknown as ImageRecordDoc),
  },
};

export interface StreamRequest<T extends LoggedTopic> {
  readonly topic: T;
  /** One ambulance, or null for the fleet. */
  readonly ambulanceId: string | null;
  /**
   * The `ambulance_id` filter of the caller's token (its ambulances); undefined for all. It bounds a fleet replay
   * and the lookup of the cursor's item.
   */
  readonly scope: object | undefined;
  /** Drops items the caller may not see (a scoped caller's fleet stream). */
  readonly accept?: ((payload: Payload<T>) => boolean) | undefined;
  /** Resume after this item; null for live from now. */
  readonly after: ItemCursorPosition | null;
  /** Items a subscriber may fall behind live before it is ended (SUBSCRIPTION_OVERFLOW). */
  readonly limit: number;
}

/** Counters of the replays this instance served (tests assert paging with them). */
export interface ReplayStats {
  pages: number;
  items: number;
}

/**
 * The resumable streams of one instance: a LogFollower per topic (started by the first subscriber) and the
 * replays of subscriptions that resume after a cursor.
 */
export class LogStreams {
  private readonly followers = new Map<LoggedTopic, LogFollower<LoggedTopic>>();
  readonly replays: ReplayStats = { pages: 0, items: 0 };

  constructor(
    private readonly bus: EventBus,
    private readonly models: Models,
    private readonly options: StreamOptions,
    private readonly logger: Logger,
  ) {}

  follower<T extends LoggedTopic>(topic: T): LogFollower<T> {
    let follower = this.followers.get(topic);
    if (!follower) {
      const { log, toPayload } = LOGS[topic];
      follower = new LogFollower(topic, log, this.bus, this.models, toPayload, this.options, this.logger);
      this.followers.set(topic, follower);
    }
    return follower as unknown as LogFollower<T>;
  }

  /** Items the followers of this instance read from the store (they read only when events are missing). */
  get followerStoreReads(): number {
    let reads = 0;
    for (const follower of this.followers.values()) reads += follower.stats.storeReads;
    return reads;
  }

  stop(): void {
    for (const follower of this.followers.values()) follower.stop();
  }

  /**
   * A subscriber's stream: live from now, or every stored item of its scope after the cursor (read from the
   * store in pages, as fast as the subscriber takes them), then live, with no gap and no repeat at the seam.
   */
  async open<T extends LoggedTopic>(request: StreamRequest<T>): Promise<AsyncIterableIterator<Payload<T>>> {
    const follower = this.follower(request.topic);
    await follower.start();
    const accept = request.accept ?? (() => true);
    if (request.after === null) return follower.queue(request.ambulanceId, request.limit, accept);
    const afterSeq = await this.resumePosition(follower, request.after, request.scope);
    return this.resumed(follower, request, afterSeq, accept);
  }

  private async resumePosition<T extends LoggedTopic>(
    follower: LogFollower<T>,
    after: ItemCursorPosition,
    scope: object | undefined,
  ): Promise<number> {
    if (this.options.maxResumeAgeMs > 0 && Date.now() - after.time.getTime() > this.options.maxResumeAgeMs) {
      throw cursorExpiredError(
        `after names an item stored more than ${Math.round(this.options.maxResumeAgeMs / 3_600_000)} h ago, ` +
          'longer than a subscription can resume from',
      );
    }
    if (after.seq === null) return 0;
    if (after.seq > follower.watermark && after.seq > (await follower.allocatedNow())) {
      throw cursorExpiredError('after is not a position of this server’s log (was the database replaced?)');
    }
    // An item's cursor resumes the log its item is in: another topic's cursor would name an unrelated position.
    // Looked up within the caller's scope, so an item it may not see answers as one that does not exist.
    if (after.id !== POSITION_ONLY_ID) {
      const item = await logCollection(this.models, follower.log).findOne(
        { _id: new Types.ObjectId(after.id), ...(scope ? { ambulance_id: scope } : {}) },
        { projection: { seq: 1 } },
      );
      if (!item || (typeof item.seq === 'number' && after.seq > item.seq)) {
        throw cursorExpiredError(
          'after is the cursor of an item this subscription’s topic does not hold (another topic’s cursor, or an ' +
            'item no longer stored)',
        );
      }
    }
    return after.seq;
  }

  private resumed<T extends LoggedTopic>(
    follower: LogFollower<T>,
    request: StreamRequest<T>,
    afterSeq: number,
    accept: (payload: Payload<T>) => boolean,
  ): AsyncIterableIterator<Payload<T>> {
    const { timeField, toPayload } = LOGS[request.topic];
    const scope =
      request.ambulanceId !== null
        ? { ambulance_id: ambulanceIdFilter(request.ambulanceId) }
        : { ambulance_id: request.scope ?? { $exists: true } };
    // A cursor without a position (an item stored before the log existed): every logged item after its time.
    const since = request.after?.seq === null ? { [timeField]: { $gt: request.after.time } } : {};
    const collection = logCollection(this.models, follower.log);
    const pageSize = this.options.pageSize;
    const replays = this.replays;
    return new ResumedStream(follower, request, afterSeq, accept, pageSize, async (after, upTo) => {
      replays.pages += 1;
      const docs = await collection
        .find({ ...scope, ...since, seq: { $gt: after, $lte: upTo } }, { sort: { seq: 1 }, limit: pageSize })
        .toArray();
      replays.items += docs.length;
      return docs.map((doc) => toPayload(doc) as Payload<T>);
    });
  }
}

/**
 * A subscription resuming after a position: pages of stored items up to the follower's watermark (which moves
 * on meanwhile), read only as fast as the subscriber takes them; within a page of the watermark it attaches to
 * the follower (which hands it everything after the watermark of that moment, buffered) and reads the store
 * up to that moment; then live. Every item once: replayed positions are never handed out again.
 */
class ResumedStream<T extends LoggedTopic> implements AsyncIterableIterator<Payload<T>> {
  private last: number;
  private page: Array<Payload<T>> = [];
  private live: BoundedQueue<Payload<T>> | null = null;
  private attachedAt: number | null = null;
  private closed = false;

  constructor(
    private readonly follower: LogFollower<T>,
    private readonly request: StreamRequest<T>,
    afterSeq: number,
    private readonly accept: (payload: Payload<T>) => boolean,
    private readonly pageSize: number,
    private readonly read: (after: number, upTo: number) => Promise<Array<Payload<T>>>,
  ) {
    this.last = afterSeq;
  }

  async next(): Promise<IteratorResult<Payload<T>>> {
    for (;;) {
      if (this.closed) return { value: undefined, done: true };
      const replayed = this.page.shift();
      if (replayed) {
        if (this.accept(replayed)) return { value: replayed, done: false };
        continue;
      }
      if (this.attachedAt === null || this.last < this.attachedAt) {
        await this.readMore();
        continue;
      }
      const step = await (this.live as BoundedQueue<Payload<T>>).next();
      if (step.done) return step;
      const seq = step.value.seq;
      if (typeof seq === 'number') {
        if (seq <= this.last) continue;
        this.last = seq;
      }
      return step;
    }
  }

  private async readMore(): Promise<void> {
    const watermark = this.follower.watermark;
    if (this.attachedAt === null && watermark - this.last <= this.pageSize) this.attach(watermark);
    const upTo = this.attachedAt ?? watermark;
    if (this.last >= upTo) return;
    const page = await this.read(this.last, upTo);
    this.last = page.length < this.pageSize ? upTo : Math.max(this.last, page.at(-1)?.seq ?? this.last);
    this.page = page;
  }

  private attach(watermark: number): void {
    this.live = this.follower.queue(this.request.ambulanceId, this.request.limit, this.accept);
    this.attachedAt = watermark;
  }

  async return(): Promise<IteratorResult<Payload<T>>> {
    this.closed = true;
    this.page = [];
    this.live?.end();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Payload<T>> {
    return this;
  }
}
