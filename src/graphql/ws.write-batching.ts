import type { Duplex } from 'node:stream';

export interface WriteBatchingOptions {
  /**
   * Messages per second (all sockets together) from which the server counts as busy: a socket written to less
   * than `maxDelayMs` ago then keeps its next messages for up to `maxDelayMs`, so that they leave in one write.
   * 0: never (every socket is written once per event-loop turn).
   */
  readonly busyAboveMessagesPerSecond: number;
  /**
   * The longest a message is kept back while busy. Held bytes count towards a subscriber's backlog
   * (SUBSCRIPTION_QUEUE_LIMIT), so a socket's message rate times this must stay well under that limit.
   */
  readonly maxDelayMs: number;
}

/** How long the message rate is counted over. */
const RATE_WINDOW_MS = 250;

/**
 * The messages-per-second rate, counted over consecutive windows: the rate is the larger of the last whole
 * window's and the current one's so far, so a burst counts at once and a lull after one whole window.
 */
export class MessageRate {
  private windowStart: number;
  private inWindow = 0;
  private lastWindow = 0;

  constructor(startMs: number) {
    this.windowStart = startMs;
  }

  /** Counts one message; returns the rate per second. */
  add(nowMs: number): number {
    const elapsed = nowMs - this.windowStart;
    if (elapsed >= RATE_WINDOW_MS) {
      this.lastWindow = elapsed < 2 * RATE_WINDOW_MS ? this.inWindow : 0;
      this.windowStart = nowMs - (elapsed % RATE_WINDOW_MS);
      this.inWindow = 0;
    }
    this.inWindow += 1;
    return (Math.max(this.lastWindow, this.inWindow) * 1000) / RATE_WINDOW_MS;
  }
}

export type WriteTime = 'end of turn' | 'held';

/**
 * When a socket's corked messages are written: at the end of the current event-loop turn, or (busy, and the
 * socket was written less than `maxDelayMs` ago) held with the others until the batch timer.
 */
export function writeTimeOf(
  options: WriteBatchingOptions,
  messagesPerSecond: number,
  lastWrittenMs: number | undefined,
  nowMs: number,
): WriteTime {
  if (options.busyAboveMessagesPerSecond === 0 || messagesPerSecond < options.busyAboveMessagesPerSecond) {
    return 'end of turn';
  }
  return lastWrittenMs !== undefined && nowMs - lastWrittenMs < options.maxDelayMs ? 'held' : 'end of turn';
}

/**
 * Corks each socket a message is written to and uncorks it later, so that all messages due to one socket in
 * that time leave in one system call. Normally that is the end of the current event-loop turn (after its
 * microtasks: one stored batch's events, several operations). A busy server spends most of its time in those
 * system calls, one per message and socket: a fleet-wide subscriber gets a message per position of every unit.
 * While busy, a socket written to recently keeps its messages for up to `maxDelayMs`, trading at most that much
 * latency for a fraction of the writes; a socket that had been quiet is still written at the end of the turn.
 */
export class SocketWriteBatcher {
  private readonly thisTurn = new Set<Duplex>();
  private readonly held = new Set<Duplex>();
  private readonly lastWritten = new WeakMap<Duplex, number>();
  private readonly rate: MessageRate;
  private readonly batching: boolean;
  private heldTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: WriteBatchingOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.rate = new MessageRate(now());
    this.batching = options.busyAboveMessagesPerSecond > 0;
  }

  /** Called before each message written to `raw` (the socket under the WebSocket). */
  corkFor(raw: Duplex): void {
    const { batching } = this;
    const now = batching ? this.now() : 0;
    const messagesPerSecond = batching ? this.rate.add(now) : 0;
    if (this.thisTurn.has(raw) || this.held.has(raw)) return;
    raw.cork();
    if (batching && writeTimeOf(this.options, messagesPerSecond, this.lastWritten.get(raw), now) === 'held') {
      if (this.held.size === 0) this.heldTimer = setTimeout(this.writeHeld, this.options.maxDelayMs);
      this.held.add(raw);
      return;
    }
    if (this.thisTurn.size === 0) process.nextTick(this.writeThisTurn);
    this.thisTurn.add(raw);
  }

  /** Writes everything held (at shutdown). */
  flush(): void {
    clearTimeout(this.heldTimer);
    this.writeThisTurn();
    this.writeHeld();
  }

  private readonly writeThisTurn = (): void => this.uncork(this.thisTurn);

  private readonly writeHeld = (): void => this.uncork(this.held);

  private uncork(sockets: Set<Duplex>): void {
    if (sockets.size === 0) return;
    const now = this.batching ? this.now() : 0;
    try {
      for (const raw of sockets) {
        raw.uncork();
        if (this.batching) this.lastWritten.set(raw, now);
      }
    } finally {
      // Emptied whatever happens: a socket left in the set would never be corked or written again.
      sockets.clear();
    }
  }
}
