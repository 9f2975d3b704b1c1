import { randomUUID } from 'node:crypto';
import type mongoose from 'mongoose';
import { isDuplicateKeyError } from './storage.errors.js';
import { insertUnordered } from './unordered.insert.js';

/**
 * The commit-ordered logs: every stored tracking point, crash and snapshot record gets a position (`seq`) in
 * its log. A unique index on `seq` in each collection makes a position hold one document for ever: the item,
 * or a tombstone `{ seq, abandoned: true }` put there when the writer that took the position did not store
 * within the abandon time (it then takes a new position and stores the item there, later in the log).
 *
 * Positions are allocated from one document per log in `stream_positions`: `next` is the last position
 * handed out, and `open` lists the blocks handed out but not yet known to be stored. So every position up to
 * the watermark (the position before the oldest open block, or `next` when none is open) holds its document:
 * a reader that delivers only up to the watermark never passes a position that is still to be committed.
 */
export type LogName = 'trackings' | 'crashes' | 'snapshots';

/** A block of positions handed out and not yet closed. */
export interface OpenBlock {
  readonly from: number;
  readonly to: number;
  readonly at: Date;
  /** Who took it: an allocation that lost a race may not close another one's block. */
  readonly owner: string;
}

interface PositionsDoc {
  _id: LogName;
  next: number;
  open?: Record<string, OpenBlock>;
}

/** Where a log stands: the last position handed out, the watermark, and the blocks still open. */
export interface LogHead {
  readonly allocated: number;
  readonly settled: number;
  readonly open: readonly OpenBlock[];
}

export const STREAM_POSITIONS_COLLECTION = 'stream_positions';

/** A document holding a position: what the log readers and the writers' retries need of a stored item. */
export interface SequencedDoc {
  _id?: unknown;
  seq?: number;
  /** The log's watermark when `seq` was handed out (see StreamPositions.allocate); absent on tombstones. */
  settled_seq?: number;
  abandoned?: true;
}

export type SequencedCollection = mongoose.mongo.Collection<SequencedDoc>;

const blockKey = (from: number) => `open.p${from}`;

interface PendingClose {
  readonly key: string;
  readonly done: () => void;
  readonly failed: (error: unknown) => void;
  /** Updates that carried it and failed. */
  attempts: number;
}

/**
 * A close whose update failed is tried again this many times in all, after CLOSE_RETRY_MS, 2 × CLOSE_RETRY_MS…: a
 * block left open holds every reader of the log back until one gives it up (STREAM_GAP_ABANDON_MS).
 */
const CLOSE_ATTEMPTS = 4;
const CLOSE_RETRY_MS = 50;

const unsetOf = (closes: readonly PendingClose[]): Record<string, ''> =>
  Object.fromEntries(closes.map((close) => [close.key, '']));

/** The positions document as it is once `closes` are applied. */
function withoutClosed(doc: PositionsDoc, closes: readonly PendingClose[]): PositionsDoc {
  if (closes.length === 0) return doc;
  const closed = new Set(closes.map((close) => close.key.slice('open.'.length)));
  const open = Object.fromEntries(Object.entries(doc.open ?? {}).filter(([key]) => !closed.has(key)));
  return { ...doc, open };
}

export function headOf(doc: PositionsDoc | null): LogHead {
  const allocated = doc?.next ?? 0;
  const open = Object.values(doc?.open ?? {}).sort((a, b) => a.from - b.from);
  const first = open[0];
  return { allocated, settled: first ? Math.min(allocated, first.from - 1) : allocated, open };
}

export class StreamPositions {
  private readonly lastKnown = new Map<LogName, number>();
  /** This instance's updates of each log's positions document, one at a time (see `serially`). */
  private readonly updates = new Map<LogName, Promise<unknown>>();
  private readonly pendingCloses = new Map<LogName, PendingClose[]>();
  private readonly closeTimers = new Map<LogName, NodeJS.Immediate>();
  /** Since when this instance has seen no other writer allocate in each log (from its first allocation). */
  private readonly soleWriterSince = new Map<LogName, number>();
  private readonly settledListeners = new Set<(log: LogName) => void>();

  constructor(private readonly collection: mongoose.mongo.Collection<PositionsDoc>) {}

  /**
   * Runs the instance's updates of one log's positions document one after another. MongoDB applies each update
   * atomically anyway, and so does the project's FerretDB build; an unpatched FerretDB v1 rewrites the whole
   * document after reading it, so two overlapping updates (a block's close and the next allocation) could undo
   * each other: a lost close holds the watermark back until the block is abandoned. Across instances an unpatched
   * FerretDB can still lose one (known-limits.md); the unique position index keeps that from losing or repeating
   * an item.
   */
  private serially<T>(log: LogName, work: () => Promise<T>): Promise<T> {
    const run = (this.updates.get(log) ?? Promise.resolve()).then(work, work);
    this.updates.set(
      log,
      run.catch(() => {}),
    );
    return run;
  }

  /**
   * Hands out `count` consecutive positions and registers them as an open block, in one compare-and-set
   * update (retried on contention). Returns the block (close it once its documents are stored) and the log's
   * watermark just before: every position up to it was stored before any of the block's documents.
   */
  allocate(log: LogName, count: number): Promise<OpenBlock & { readonly settledBefore: number }> {
    return this.serially(log, () => this.allocateNow(log, count));
  }

  /**
   * For how long this instance has seen no other writer allocate in the log, as far as its own allocations
   * tell (an allocation finding `next` moved by someone else); 0 before its first allocation.
   */
  soleWriterFor(log: LogName): number {
    const since = this.soleWriterSince.get(log);
    return since === undefined ? 0 : Date.now() - since;
  }

  private contended(log: LogName): void {
    this.soleWriterSince.set(log, Date.now());
  }

  /** Calls `listener` whenever this instance closed or gave back a block (the log's watermark may have moved). */
  onSettled(listener: (log: LogName) => void): () => void {
    this.settledListeners.add(listener);
    return () => this.settledListeners.delete(listener);
  }

  private settled(log: LogName): void {
    for (const listener of this.settledListeners) listener(log);
  }

  private async allocateNow(log: LogName, count: number): Promise<OpenBlock & { readonly settledBefore: number }> {
    const owner = randomUUID();
    for (let attempt = 0; ; attempt += 1) {
      const known = this.lastKnown.get(log);
      const next = known ?? (await this.readNext(log));
      const block: OpenBlock = { from: next + 1, to: next + count, at: new Date(), owner };
      const closes = this.takeCloses(log);
      let before: PositionsDoc | null;
      try {
        before = await this.collection.findOneAndUpdate(
          { _id: log, next },
          {
            $set: { next: block.to, [blockKey(block.from)]: block },
            ...(closes.length > 0 ? { $unset: unsetOf(closes) } : {}),
          },
          { returnDocument: 'before' },
        );
      } catch (error) {
        this.keepCloses(log, closes);
        throw error;
      }
      if (before) {
        for (const close of closes) close.done();
        if (closes.length > 0) this.settled(log);
        if (!this.soleWriterSince.has(log)) this.soleWriterSince.set(log, Date.now());
        this.lastKnown.set(log, block.to);
        // The closes in this update were still open in `before`: the watermark is at least past them now.
        return { ...block, settledBefore: headOf(withoutClosed(before, closes)).settled };
      }
      this.keepCloses(log, closes);
      this.lastKnown.delete(log);
      if (known !== undefined) this.contended(log);
      if (attempt >= 50) throw new Error(`could not allocate positions in the ${log} log (contention)`);
    }
  }

  /** The block's positions are all stored (items or tombstones): it no longer holds the watermark back. */
  close(log: LogName, block: OpenBlock): Promise<void> {
    return new Promise((resolve, reject) => {
      const pending = this.pendingCloses.get(log) ?? [];
      pending.push({ key: blockKey(block.from), done: resolve, failed: reject, attempts: 0 });
      this.pendingCloses.set(log, pending);
      this.scheduleCloses(log);
    });
  }

  /**
   * Closes go out on the next turn in one update of their own, or with an allocation already waiting for its
   * turn (the next batch's): under load a batch then costs the log one write instead of two.
   */
  private scheduleCloses(log: LogName): void {
    if (this.closeTimers.has(log)) return;
    const timer = setImmediate(() => {
      this.closeTimers.delete(log);
      this.serially(log, () => this.flushCloses(log)).catch(() => {});
    });
    timer.unref();
    this.closeTimers.set(log, timer);
  }

  private takeCloses(log: LogName): PendingClose[] {
    const pending = this.pendingCloses.get(log) ?? [];
    this.pendingCloses.delete(log);
    return pending;
  }

  /** Puts closes back after a failed update: they go with the next one. */
  private keepCloses(log: LogName, closes: readonly PendingClose[]): void {
    if (closes.length === 0) return;
    this.pendingCloses.set(log, [...closes, ...(this.pendingCloses.get(log) ?? [])]);
    this.scheduleCloses(log);
  }

  private async flushCloses(log: LogName): Promise<void> {
    const closes = this.takeCloses(log);
    if (closes.length === 0) return;
    try {
      await this.collection.updateOne({ _id: log }, { $unset: unsetOf(closes) });
    } catch (error) {
      const again: PendingClose[] = [];
      for (const close of closes) {
        close.attempts += 1;
        if (close.attempts < CLOSE_ATTEMPTS) again.push(close);
        else close.failed(error);
      }
      if (again.length > 0) {
        const attempts = Math.max(...again.map((close) => close.attempts));
        setTimeout(() => this.keepCloses(log, again), CLOSE_RETRY_MS * 2 ** (attempts - 1)).unref();
      }
      return;
    }
    for (const close of closes) close.done();
    this.settled(log);
  }

  /**
   * Gives back a block's positions past `used` (its writer will not use them) by moving the log's `next` back to
   * `used`, when no allocation came after the block: the block then ends at `used`, and is closed in the same
   * update when `stored` (its positions up to `used` hold their documents) or none of it was used. False when an
   * allocation came after it, or a reader gave the block up meanwhile (its unused positions hold tombstones, which
   * `next` must not move back under): the caller must fill the unused positions instead.
   */
  shrink(log: LogName, block: OpenBlock, used: number, stored: boolean): Promise<boolean> {
    const key = blockKey(block.from);
    const closes = stored || used < block.from;
    return this.serially(log, async () => {
      const before = await this.collection.findOneAndUpdate(
        { _id: log, next: block.to, [`${key}.owner`]: block.owner },
        closes ? { $set: { next: used }, $unset: { [key]: '' } } : { $set: { next: used, [`${key}.to`]: used } },
        { returnDocument: 'before' },
      );
      if (!before) {
        this.contended(log);
        return false;
      }
      this.lastKnown.set(log, used);
      if (closes) this.settled(log);
      return true;
    });
  }

  async head(log: LogName): Promise<LogHead> {
    return headOf(await this.collection.findOne({ _id: log }));
  }

  private async readNext(log: LogName): Promise<number> {
    const doc = await this.collection.findOne({ _id: log }, { projection: { next: 1 } });
    if (doc) return doc.next;
    try {
      await this.collection.insertOne({ _id: log, next: 0, open: {} });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    return (await this.collection.findOne({ _id: log }, { projection: { next: 1 } }))?.next ?? 0;
  }
}

/** Fills the positions of a block that hold no document yet with tombstones; true for each one it filled. */
export async function tombstone(collection: SequencedCollection, positions: readonly number[]): Promise<number> {
  if (positions.length === 0) return 0;
  // A position refused as a duplicate holds a document already (the item, or another reader's tombstone).
  const refused = await insertUnordered(
    collection,
    positions.map((seq) => ({ seq, abandoned: true as const })),
  );
  return positions.length - refused.length;
}

/**
 * Settles an open block whose writer did not close it within the abandon time (killed, or too slow): each
 * of its positions without a document gets a tombstone, then the block is closed. A writer still at work
 * finds its positions taken (duplicate key) and stores its items at new positions.
 */
export async function abandonBlock(
  positions: StreamPositions,
  log: LogName,
  collection: SequencedCollection,
  block: OpenBlock,
): Promise<number> {
  const filled = await fillEmpty(collection, block.from, block.to);
  await positions.close(log, block);
  return filled;
}

/** Puts tombstones at the positions from `from` to `to` that hold no document; returns how many it filled. */
export async function fillEmpty(collection: SequencedCollection, from: number, to: number): Promise<number> {
  const stored = await collection.find({ seq: { $gte: from, $lte: to } }, { projection: { seq: 1 } }).toArray();
  const taken = new Set(stored.map((doc) => doc.seq));
  const missing: number[] = [];
  for (let seq = from; seq <= to; seq += 1) if (!taken.has(seq)) missing.push(seq);
  return tombstone(collection, missing);
}
