import {
  type LogName,
  type OpenBlock,
  type SequencedCollection,
  type StreamPositions,
  tombstone,
} from './stream.positions.js';

export interface ReserveOptions {
  /** Most positions taken ahead in one allocation while this instance is the log's only writer; 0: none. */
  readonly size: number;
  /** How long a reserve is used before its unused positions are given back (readers wait for them meanwhile). */
  readonly holdMs: number;
  /** How long this instance must have been the only writer it saw (from its first allocation) to reserve. */
  readonly soleWriterAfterMs: number;
}

/** The smallest reserve: the size adapts to what the last one used within its hold time. */
const MIN_RESERVE = 8;

/** Positions for one write, and how to say it is done. */
export interface PositionLease {
  readonly positions: readonly number[];
  /** The log's watermark when the earliest of these positions was allocated (see StreamPositions.allocate). */
  readonly settledBefore: number;
  /**
   * Every position of the lease holds a document now (`true`), or storing failed and some may not: the block
   * is then left open, and readers settle it after the abandon time.
   */
  release(stored: boolean): void;
}

/** Positions taken ahead: handed out in order, closed once used up (or given back) and stored. */
interface Reserve {
  readonly block: OpenBlock;
  readonly settledBefore: number;
  /** The last position handed out. */
  used: number;
  /** Leases whose documents are not yet known to be stored. */
  inFlight: number;
  retired: boolean;
  /** A lease failed: left open for readers to settle. */
  spoiled: boolean;
  settling: boolean;
  timer: NodeJS.Timeout | null;
  /** Set when retired: its unused positions given back; whether the block still needs a close then. */
  tail: Promise<boolean> | null;
}

type Part = { readonly reserve: Reserve } | { readonly block: OpenBlock };

/**
 * Hands writers positions in the logs. An allocation is a round trip to the store's positions document, and a
 * block's close another: while this instance is a log's only writer it allocates a reserve ahead and hands its
 * positions out without a round trip, in order; the reserve is closed once used up and stored, and what is left
 * of it after `holdMs` is given back (the positions document's `next` moved back when nobody allocated since,
 * else tombstones); its size follows what the last one used. Readers do not pass a reserve until then, so only
 * an instance that has seen no other writer allocate for `soleWriterAfterMs` reserves, and it stops at the first
 * sign of another (contention on the positions document): writers that share a log take exact blocks, and
 * other instances' items are then held back only by blocks being stored.
 */
export class PositionLeases {
  private readonly reserves = new Map<LogName, Reserve>();
  private readonly reserving = new Map<LogName, Promise<void>>();
  /** The size of each log's next reserve: twice what the last one used, up to `size`. */
  private readonly nextSize = new Map<LogName, number>();
  private readonly settlements = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly positions: StreamPositions,
    private readonly collectionOf: (log: LogName) => SequencedCollection,
    private readonly options: ReserveOptions,
  ) {}

  async take(log: LogName, count: number): Promise<PositionLease> {
    const positions: number[] = [];
    const parts: Part[] = [];
    let settledBefore = Number.POSITIVE_INFINITY;
    while (positions.length < count) {
      if (!this.reservesIn(log)) {
        const block = await this.positions.allocate(log, count - positions.length);
        for (let seq = block.from; seq <= block.to; seq += 1) positions.push(seq);
        parts.push({ block });
        settledBefore = Math.min(settledBefore, block.settledBefore);
        continue;
      }
      const reserve = this.reserves.get(log);
      if (!reserve || reserve.retired) {
        await this.reserve(log, count - positions.length);
        continue;
      }
      const taken = Math.min(count - positions.length, reserve.block.to - reserve.used);
      for (let at = 1; at <= taken; at += 1) positions.push(reserve.used + at);
      reserve.used += taken;
      reserve.inFlight += 1;
      parts.push({ reserve });
      settledBefore = Math.min(settledBefore, reserve.settledBefore);
      if (reserve.used === reserve.block.to) this.retire(log, reserve);
    }
    let released = false;
    return {
      positions,
      settledBefore: Number.isFinite(settledBefore) ? settledBefore : 0,
      release: (stored) => {
        if (released) return;
        released = true;
        for (const part of parts) {
          if ('block' in part) {
            if (stored) this.positions.close(log, part.block).catch(() => {});
            continue;
          }
          part.reserve.inFlight -= 1;
          if (stored) this.settle(log, part.reserve);
          else {
            part.reserve.spoiled = true;
            this.retire(log, part.reserve);
          }
        }
      },
    };
  }

  /** Gives back every reserve's unused positions (at shutdown), once the writes using them are stored. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.reserving.values()]);
    for (const [log, reserve] of this.reserves) this.retire(log, reserve);
    await Promise.allSettled([...this.settlements]);
  }

  private reservesIn(log: LogName): boolean {
    return (
      this.options.size > 0 && !this.stopped && this.positions.soleWriterFor(log) >= this.options.soleWriterAfterMs
    );
  }

  /** Allocates a new reserve (one at a time per log; concurrent takes wait for it and take from it). */
  private reserve(log: LogName, wanted: number): Promise<void> {
    let pending = this.reserving.get(log);
    if (!pending) {
      pending = this.positions
        .allocate(log, Math.max(wanted, this.nextSize.get(log) ?? MIN_RESERVE))
        .then((block) => {
          const reserve: Reserve = {
            block,
            settledBefore: block.settledBefore,
            used: block.from - 1,
            inFlight: 0,
            retired: false,
            spoiled: false,
            settling: false,
            timer: null,
            tail: null,
          };
          reserve.timer = setTimeout(() => this.retire(log, reserve), this.options.holdMs);
          reserve.timer.unref();
          this.reserves.set(log, reserve);
        })
        .finally(() => this.reserving.delete(log));
      this.reserving.set(log, pending);
    }
    return pending;
  }

  /**
   * No more leases from the reserve. Its unused positions are given back at once (before any later allocation
   * of this instance, which would keep the positions document's `next` from moving back); it is closed once
   * its leases are stored.
   */
  private retire(log: LogName, reserve: Reserve): void {
    if (reserve.retired) return;
    reserve.retired = true;
    if (reserve.timer) clearTimeout(reserve.timer);
    if (this.reserves.get(log) === reserve) this.reserves.delete(log);
    const used = reserve.used - reserve.block.from + 1;
    this.nextSize.set(log, Math.min(this.options.size, Math.max(MIN_RESERVE, 2 * used)));
    reserve.tail =
      reserve.used < reserve.block.to
        ? this.giveBack(log, reserve.block, reserve.used, reserve.inFlight === 0 && !reserve.spoiled)
        : Promise.resolve(true);
    reserve.tail.catch(() => {
      // Left open: readers settle it after the abandon time.
    });
    this.settle(log, reserve);
  }

  private settle(log: LogName, reserve: Reserve): void {
    if (!reserve.tail || reserve.inFlight > 0 || reserve.spoiled || reserve.settling) return;
    reserve.settling = true;
    const settled = reserve.tail
      .then((open) => (open ? this.positions.close(log, reserve.block) : undefined))
      .catch(() => {
        // Left open: readers settle it after the abandon time.
      })
      .finally(() => this.settlements.delete(settled));
    this.settlements.add(settled);
  }

  /**
   * Gives back the positions after `used` (closing the block in the same update when its writes are all
   * stored); true when the block is still open.
   */
  private async giveBack(log: LogName, block: OpenBlock, used: number, stored: boolean): Promise<boolean> {
    if (await this.positions.shrink(log, block, used, stored)) return !stored && used >= block.from;
    const unused: number[] = [];
    for (let seq = used + 1; seq <= block.to; seq += 1) unused.push(seq);
    await tombstone(this.collectionOf(log), unused);
    return true;
  }
}
