import type { Logger } from 'pino';
import { LogWindow } from '../domain/log.window.js';
import { BoundedQueue } from '../events/event.stream.js';
import type { EventBus, Unsubscribe } from '../events/event-bus.js';
import type { LoggedTopic, TopicPayloads } from '../events/topics.js';
import { logCollection, type Models } from '../models/models.js';
import { abandonBlock, fillEmpty, type LogHead, type LogName, type SequencedDoc } from '../models/stream.positions.js';

export interface FollowerOptions {
  /** An open block older than this is given up: its empty positions get tombstones. */
  readonly abandonMs: number;
  /** How often the log's head is read (one `_id` lookup), to learn of items whose events were lost. */
  readonly pollMs: number;
  /** Documents per store read. */
  readonly pageSize: number;
}

export type Payload<T extends LoggedTopic> = TopicPayloads[T] & { readonly ambulanceId: string; readonly seq?: number };

type Listener<T extends LoggedTopic> = (payload: Payload<T>) => void;

/** Counters for tests and metrics: the follower reads the store only when events are missing. */
export interface FollowerStats {
  storeReads: number;
  itemsRead: number;
  tombstonesWritten: number;
  headReads: number;
  /** Checks of the head finished (polls, gap checks, the one after the bus listens), failed ones included. */
  checks: number;
}

/** How long a gap between events may last before the head is read (events of other instances may overtake). */
const GAP_CHECK_MS = 150;

/**
 * Follows one topic's log on this instance and hands its items to local listeners strictly in log order, each
 * once, never past the log's watermark. Items come from the events on the bus (no store reads in the normal
 * case); positions whose events are missing (Redis restarted, or tombstones, which have none) are read from
 * the store once the log's head says they are settled; blocks whose writer died are given up after the
 * abandon time. Started by the first subscriber that needs it; one per topic per instance.
 */
export class LogFollower<T extends LoggedTopic> {
  private window: LogWindow<Payload<T>> | null = null;
  private readonly byAmbulance = new Map<string, Set<Listener<T>>>();
  private readonly fleet = new Set<Listener<T>>();
  private unsubscribe: Unsubscribe | null = null;
  private stopHearingSettles: Unsubscribe | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private gapTimer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private checkAgain = false;
  private starting: Promise<void> | null = null;
  private stopped = false;
  private allocated = 0;
  /** When the follower first found a settled position without a document (see settleMissing). */
  private missingSince: number | null = null;
  readonly stats: FollowerStats = { storeReads: 0, itemsRead: 0, tombstonesWritten: 0, headReads: 0, checks: 0 };

  constructor(
    readonly topic: T,
    readonly log: LogName,
    private readonly bus: EventBus,
    private readonly models: Models,
    private readonly toPayload: (doc: SequencedDoc) => Payload<T>,
    private readonly options: FollowerOptions,
    private readonly logger: Logger,
  ) {}

  /** Every position up to here has been handed to the listeners (or held nothing to hand out). */
  get watermark(): number {
    return this.window?.watermark ?? 0;
  }

  /** Items received past a missing position, held back until it is settled. */
  get waiting(): number {
    return this.window?.waitingCount ?? 0;
  }

  /** Starts following (once): learns the log's watermark, then listens to the bus. */
  start(): Promise<void> {
    this.starting ??= this.begin().catch((error: unknown) => {
      // Not started (the database is away): the next subscriber tries again.
      this.starting = null;
      throw error;
    });
    return this.starting;
  }

  /**
   * Learns the log's watermark first, then listens to the bus in the background: events that go out before
   * the bus listens (or while Redis is away) are read from the store at the next check, so no subscriber ever
   * waits for Redis.
   */
  private async begin(): Promise<void> {
    const head = await this.readHead();
    this.window = new LogWindow<Payload<T>>(head.settled);
    if (this.stopped) return;
    this.pollTimer = setInterval(() => this.check(), this.options.pollMs);
    this.pollTimer.unref();
    // A block this instance settled may be what held items back (a reserve given back, say), or may hold an item
    // stored before the follower started whose event it never heard (positions handed out before it read the
    // head and not yet past its watermark): look at once.
    const allocatedAtStart = head.allocated;
    this.stopHearingSettles = this.models.positions.onSettled((log) => {
      if (log === this.log && (this.waiting > 0 || this.watermark < allocatedAtStart)) this.check();
    });
    void this.listenToBus();
  }

  private async listenToBus(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt += 1) {
      try {
        const unsubscribe = await this.bus.subscribe(this.topic, null, (payload) => this.accept(payload as Payload<T>));
        if (this.stopped) {
          unsubscribe();
          return;
        }
        this.unsubscribe = unsubscribe;
        this.checkSoon();
        return;
      } catch (error) {
        if (this.stopped) return;
        this.logger.warn({ err: (error as Error).message, log: this.log }, 'log follower cannot listen to events yet');
        await new Promise((resolve) => setTimeout(resolve, Math.min(attempt * 500, 5000)).unref());
      }
    }
  }

  /** The highest position handed out by the log so far, read now (a cursor beyond it is not from this log). */
  async allocatedNow(): Promise<number> {
    return Math.max(this.allocated, (await this.readHead()).allocated);
  }

  /**
   * Adds a listener for one ambulance (or the fleet with null), synchronously: it gets every item past the
   * current watermark, in order.
   */
  listen(ambulanceId: string | null, listener: Listener<T>): Unsubscribe {
    const set = ambulanceId === null ? this.fleet : this.listenersOf(ambulanceId);
    set.add(listener);
    return () => {
      set.delete(listener);
      if (ambulanceId !== null && set.size === 0) this.byAmbulance.delete(ambulanceId);
    };
  }

  /**
   * A bounded stream of the items for one ambulance (or the fleet) past the current watermark that `accept`
   * takes; it stops listening when it ends (consumer gone, overflow).
   */
  queue(ambulanceId: string | null, limit: number, accept: (payload: Payload<T>) => boolean): BoundedQueue<Payload<T>> {
    const queue = new BoundedQueue<Payload<T>>(limit);
    queue.whenFinished(
      this.listen(ambulanceId, (payload) => {
        if (accept(payload)) queue.push(payload);
      }),
    );
    return queue;
  }

  stop(): void {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.stopHearingSettles?.();
    this.unsubscribe?.();
  }

  private listenersOf(ambulanceId: string): Set<Listener<T>> {
    let set = this.byAmbulance.get(ambulanceId);
    if (!set) {
      set = new Set();
      this.byAmbulance.set(ambulanceId, set);
    }
    return set;
  }

  private accept(payload: Payload<T>): void {
    const window = this.window as LogWindow<Payload<T>>;
    if (typeof payload.seq !== 'number') {
      // Published by an instance of an earlier version, without a position: passed on as it comes.
      this.hand(payload);
      return;
    }
    if (!window.offer(payload.seq, payload)) return;
    this.handReady();
    if (window.gapSince() !== null) this.checkSoon();
  }

  /**
   * Reads the head after GAP_CHECK_MS, once however often it is asked for meanwhile. Also asked for once the
   * bus listens: an item stored before then whose position was not yet settled when the follower read the
   * head (its block's close still on its way) had its event go out unheard, and would otherwise wait for the
   * next poll.
   */
  private checkSoon(): void {
    if (this.gapTimer) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      this.check();
    }, GAP_CHECK_MS);
    this.gapTimer.unref();
  }

  private handReady(): void {
    for (const { entry } of (this.window as LogWindow<Payload<T>>).take(Date.now())) this.hand(entry);
  }

  private hand(payload: Payload<T>): void {
    for (const listener of this.fleet) listener(payload);
    const listeners = this.byAmbulance.get(payload.ambulanceId);
    if (listeners) for (const listener of listeners) listener(payload);
  }

  private async readHead(): Promise<LogHead> {
    this.stats.headReads += 1;
    const head = await this.models.positions.head(this.log);
    this.allocated = Math.max(this.allocated, head.allocated);
    return head;
  }

  /**
   * One check at a time: read the head, give up stale blocks, read settled positions whose events are missing.
   * A check asked for while one runs follows it (the running one may have read the head too early).
   */
  private check(): void {
    if (this.stopped || !this.window) return;
    if (this.checking) {
      this.checkAgain = true;
      return;
    }
    this.checking = this.checkOnce()
      .catch((error: unknown) => {
        const err = (error as Error).message;
        // A check that ran into shutdown fails once the store closes under it: nothing is missed, nobody listens.
        if (this.stopped) this.logger.debug({ err, log: this.log }, 'log follower check ended by shutdown');
        else this.logger.warn({ err, log: this.log }, 'log follower check failed; retrying');
      })
      .finally(() => {
        this.checking = null;
        this.stats.checks += 1;
        if (this.checkAgain) {
          this.checkAgain = false;
          this.check();
        }
      });
  }

  private async checkOnce(): Promise<void> {
    const window = this.window as LogWindow<Payload<T>>;
    let head = await this.readHead();
    if (this.stopped) return;
    const stale = head.open.filter((block) => Date.now() - new Date(block.at).getTime() > this.options.abandonMs);
    if (stale.length > 0) {
      const collection = logCollection(this.models, this.log);
      for (const block of stale) {
        if (this.stopped) return;
        const filled = await abandonBlock(this.models.positions, this.log, collection, block);
        this.stats.tombstonesWritten += filled;
        if (filled > 0) {
          this.logger.warn(
            { log: this.log, from: block.from, to: block.to, abandoned: filled },
            'log positions given up: their writer did not store within the abandon time',
          );
        }
      }
      head = await this.readHead();
    }
    while (!this.stopped && window.missingUpTo(head.settled)) {
      const before = window.watermark;
      await this.readStore(head.settled);
      if (this.stopped) return;
      if (window.watermark === before) {
        await this.settleMissing(head.settled);
        return;
      }
      this.missingSince = null;
    }
  }

  /**
   * The log says positions up to `settled` hold documents, yet the next one has none. On MongoDB that cannot
   * last; on FerretDB v1 two instances' updates of the positions document can lose a block's registration
   * (known-limits.md), and if that block's writer then failed, nobody would ever settle it. Once the gap is
   * older than the abandon time, its positions get tombstones (a writer still at work loses to them on the
   * unique index and stores its item at a new position).
   */
  private async settleMissing(settled: number): Promise<void> {
    const window = this.window as LogWindow<Payload<T>>;
    this.missingSince = window.gapSince() ?? this.missingSince ?? Date.now();
    this.logger.warn({ log: this.log, watermark: window.watermark }, 'log position missing below the watermark');
    if (Date.now() - this.missingSince <= this.options.abandonMs) return;
    const from = window.watermark + 1;
    const to = Math.min(settled, from + this.options.pageSize - 1);
    this.stats.tombstonesWritten += await fillEmpty(logCollection(this.models, this.log), from, to);
    this.missingSince = null;
  }

  /** Reads the documents after the watermark, up to `settled`, one page. */
  private async readStore(settled: number): Promise<void> {
    const window = this.window as LogWindow<Payload<T>>;
    this.stats.storeReads += 1;
    const docs = await logCollection(this.models, this.log)
      .find({ seq: { $gt: window.watermark, $lte: settled } }, { sort: { seq: 1 }, limit: this.options.pageSize })
      .toArray();
    this.stats.itemsRead += docs.length;
    for (const doc of docs) {
      window.offer(doc.seq as number, doc.abandoned ? null : this.toPayload(doc));
    }
    this.handReady();
  }
}
