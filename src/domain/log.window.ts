/**
 * A reader's window on a commit-ordered log: entries may arrive in any order (events from several instances,
 * store reads), are handed out strictly in position order, each once, and only while contiguous with the
 * watermark (every position up to it has been handed out or was a tombstone). Pure: the follower feeds it.
 */
export class LogWindow<T> {
  /** Entries past the watermark, waiting for the positions before them; null marks a tombstone. */
  private readonly waiting = new Map<number, T | null>();
  private gapSeenAt: number | null = null;

  constructor(private mark: number) {}

  /** Every position up to here has been handed out (or was a tombstone). */
  get watermark(): number {
    return this.mark;
  }

  get waitingCount(): number {
    return this.waiting.size;
  }

  /** Since when the position after the watermark has been missing while later ones are known; null if none. */
  gapSince(): number | null {
    return this.gapSeenAt;
  }

  /**
   * Takes an entry (null: a tombstone). False when its position is at or below the watermark or already
   * waiting: a duplicate, dropped.
   */
  offer(seq: number, entry: T | null): boolean {
    if (seq <= this.mark || this.waiting.has(seq)) return false;
    this.waiting.set(seq, entry);
    return true;
  }

  /**
   * The entries now contiguous with the watermark, in order (tombstones skipped); moves the watermark past them.
   * `now` starts or clears the gap clock.
   */
  take(now: number): Array<{ readonly seq: number; readonly entry: T }> {
    const ready: Array<{ seq: number; entry: T }> = [];
    for (;;) {
      const seq = this.mark + 1;
      if (!this.waiting.has(seq)) break;
      const entry = this.waiting.get(seq) as T | null;
      this.waiting.delete(seq);
      this.mark = seq;
      if (entry !== null) ready.push({ seq, entry });
    }
    if (this.waiting.size === 0) this.gapSeenAt = null;
    else if (ready.length > 0 || this.gapSeenAt === null) this.gapSeenAt = now;
    return ready;
  }

  /**
   * True when positions up to `settled` (the log's watermark: each holds a document) are missing here, so
   * they must be read from the store (their events were lost, or they are tombstones, which have none).
   */
  missingUpTo(settled: number): boolean {
    return settled > this.mark && !this.waiting.has(this.mark + 1);
  }
}
