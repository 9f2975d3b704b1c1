import { LiveConnection, type LiveConnectionEvents } from '../api/live.connection';
import type { TypedDocumentString } from '../gql/graphql';
import { LiveCatchUp } from '../logic/live.catchup';

/** When a (re)started subscription brings no event, its catch-up read runs this long after the start. */
const LIVE_SETTLE_MS = 2_000;

/**
 * The live connection's subscriptions, each paired with the read that catches up on what it may have missed
 * (see LiveCatchUp), asked for again at each (re)connection.
 */
export class LiveSubscriptions {
  private live: LiveConnection | null = null;
  private readonly catchUps = new Set<LiveCatchUp>();

  /** @param failed shows a catch-up read that failed. */
  constructor(private readonly failed: (what: string, error: unknown) => void) {}

  get open(): boolean {
    return this.live !== null;
  }

  connect(url: string, token: string | null, events: LiveConnectionEvents): void {
    this.live = new LiveConnection(url, token, events);
  }

  /** Closes the connection; its subscriptions must have been released. */
  close(): void {
    this.live?.dispose();
    this.live = null;
  }

  /**
   * Subscribes, merging events as they come (also while the first read runs), and re-reads with `catchUp` once
   * the subscription is live, for what was stored before the server listened. Returns the release.
   */
  subscribe<Result, Variables>(
    document: TypedDocumentString<Result, Variables>,
    variables: Variables,
    onData: (data: Result) => void,
    catchUp: () => Promise<void>,
  ): () => void {
    const live = this.live;
    if (!live) return () => {};
    const catchUps = this.catchUps;
    const liveCatchUp = new LiveCatchUp(
      () => void catchUp().catch((error: unknown) => this.failed('catching up', error)),
      LIVE_SETTLE_MS,
    );
    catchUps.add(liveCatchUp);
    liveCatchUp.arm();
    const release = live.subscribe(document, variables, (data) => {
      onData(data);
      liveCatchUp.received();
    });
    return () => {
      catchUps.delete(liveCatchUp);
      liveCatchUp.dispose();
      release();
    };
  }

  /** After a (re)connection or a restarted subscription: every subscription catches up once more. */
  armCatchUps(): void {
    for (const catchUp of this.catchUps) catchUp.arm();
  }
}
