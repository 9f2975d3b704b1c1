import { LiveConnection, type LiveConnectionEvents } from '../api/live.connection';
import type { StreamTopic, TypedDocumentString } from '../gql/graphql';
import { CaughtUpCounter } from '../logic/caught-up';

interface Entry {
  /** Sent with every (re)start; LiveConnection keeps the last item's cursor in `after`. */
  readonly variables: { after: string | null };
  readonly catchUp: () => Promise<unknown>;
  /** A subscription of a topic without a log: it never resumes, it reads again. */
  readonly liveOnly?: true;
}

/**
 * The live connection's subscriptions. Each takes a cursor at the current end of its topic, reads what it shows
 * (history, the fleet), then subscribes after that cursor: what was stored during the read comes again and is
 * merged by id, nothing is missed. After a reconnection (or a subscription the server ended) each resumes after
 * the last item it received: the server first delivers what was stored meanwhile, then live items. Only a
 * subscription that could not get a cursor reads again.
 */
export class LiveSubscriptions {
  private live: LiveConnection | null = null;
  private readonly entries = new Set<Entry>();
  private readonly caughtUp = new CaughtUpCounter();

  /**
   * @param failed shows a catch-up read that failed.
   * @param caughtUpChanged how many items the resumed subscriptions delivered that were stored meanwhile.
   * @param startCursor reads a cursor at the current end of a topic (the `streamCursor` query).
   */
  constructor(
    private readonly failed: (what: string, error: unknown) => void,
    private readonly caughtUpChanged: (count: number) => void,
    private readonly startCursor: (topic: StreamTopic) => Promise<string>,
  ) {}

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

  /** Takes a cursor of `topic`, reads with `catchUp`, then subscribes after the cursor. Returns the release. */
  subscribe<Result, Variables>(
    topic: StreamTopic,
    document: TypedDocumentString<Result, Variables>,
    variables: Variables,
    onData: (data: Result) => void,
    catchUp: () => Promise<unknown>,
  ): () => void {
    const live = this.live;
    if (!live) return () => {};
    const entry: Entry = { variables: { ...variables, after: null }, catchUp };
    this.entries.add(entry);
    let released = false;
    let release: () => void = () => {};
    // Also what a subscription whose cursor the server no longer resumes from (CURSOR_EXPIRED) starts again with.
    const startAfterCatchUp = async () => {
      const start = await this.startCursor(topic).catch((error: unknown) => {
        this.failed('starting the live view', error);
        return null;
      });
      await catchUp().catch((error: unknown) => this.failed('catching up', error));
      entry.variables.after = start;
    };
    void (async () => {
      await startAfterCatchUp();
      if (released || this.live !== live) return;
      release = live.subscribe(
        document,
        entry.variables as Variables & { after: string | null },
        (data, item) => {
          if (item && this.caughtUp.received(item.id, item.storedAtMs)) this.caughtUpChanged(this.caughtUp.count);
          onData(data);
        },
        startAfterCatchUp,
      );
    })();
    return () => {
      released = true;
      this.entries.delete(entry);
      release();
    };
  }

  /**
   * A subscription of a topic without a log (dispatch events): live from now, after which `catchUp` reads what
   * it shows; after a reconnection it reads again. Returns the release.
   */
  subscribeLive<Result, Variables>(
    document: TypedDocumentString<Result, Variables>,
    variables: Variables,
    onData: (data: Result) => void,
    catchUp: () => Promise<unknown>,
  ): () => void {
    const live = this.live;
    if (!live) return () => {};
    const entry: Entry = { variables: { ...variables, after: null }, catchUp, liveOnly: true };
    this.entries.add(entry);
    const release = live.subscribe(document, entry.variables as Variables & { after: string | null }, onData);
    void catchUp().catch((error: unknown) => this.failed('catching up', error));
    return () => {
      this.entries.delete(entry);
      release();
    };
  }

  /**
   * After a reconnection or a restarted subscription: subscriptions with a cursor resume by themselves (what
   * they deliver that was stored before now is counted as caught up); those without one read again. False
   * when a subscription of a logged topic had to read (subscriptions without a log always read again).
   */
  resume(nowMs: number): boolean {
    this.caughtUp.resumed(nowMs);
    this.caughtUpChanged(0);
    let resumedAll = true;
    for (const entry of this.entries) {
      if (entry.variables.after !== null) continue;
      if (!entry.liveOnly) resumedAll = false;
      void entry.catchUp().catch((error: unknown) => this.failed('catching up', error));
    }
    return resumedAll;
  }
}
