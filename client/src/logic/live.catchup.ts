/** Runs `callback` after `ms`; the returned function cancels it. */
export type Schedule = (callback: () => void, ms: number) => () => void;

const scheduleTimeout: Schedule = (callback, ms) => {
  const timer = setTimeout(callback, ms);
  return () => clearTimeout(timer);
};

/**
 * Closes the gap between a subscription's start and the first read that goes with it.
 *
 * graphql-ws does not acknowledge a subscription: the client cannot tell when the server has started listening,
 * and an item stored after a read took its view of the database but before the server listened comes neither in
 * that read nor as an event. Subscribing first and buffering events while reading does not close the gap on its
 * own (the read may still run before the server listens). A read that starts once the subscription is known to be
 * live does: the server stores an item before it publishes it, so when the first event arrives everything stored
 * before the subscription went live is already readable. So after each (re)start of a subscription this asks for
 * one more catch-up read from the last cursor: at its first event, or, when no event comes, after `settleMs` (by
 * then the server has long been listening, so what was stored in the gap is readable too). Reads and events are
 * merged by id, oldest first (`mergeById`), so the overlap is shown once.
 */
export class LiveCatchUp {
  private awaitingEvent = false;
  private cancelSettle: () => void = () => {};

  constructor(
    private readonly catchUp: () => void,
    private readonly settleMs: number,
    private readonly schedule: Schedule = scheduleTimeout,
  ) {}

  /** The subscription was (re)started: the next event, or the settle delay, asks for a catch-up read. */
  arm(): void {
    this.cancelSettle();
    this.awaitingEvent = true;
    this.cancelSettle = this.schedule(() => this.fire(), this.settleMs);
  }

  /** An event arrived: the subscription is live. */
  received(): void {
    if (this.awaitingEvent) this.fire();
  }

  dispose(): void {
    this.awaitingEvent = false;
    this.cancelSettle();
  }

  private fire(): void {
    this.dispose();
    this.catchUp();
  }
}
