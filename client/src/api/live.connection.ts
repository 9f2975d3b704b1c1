import { type Client, createClient } from 'graphql-ws';
import type { TypedDocumentString } from '../gql/graphql';
import { type AuthProblem, authProblemOfClose, authProblemOfErrors, bearer } from '../logic/auth.token';
import { retryDelayMs } from '../logic/backoff';
import { itemOf, type LiveItem } from '../logic/caught-up';
import type { LinkStatus } from '../logic/connection.view';
import { ackServerTimeMs } from '../logic/staleness';
import { GRAPHQL_PATH } from './graphql.http';

export type { LinkStatus };

export interface LiveConnectionEvents {
  onStatus(status: LinkStatus): void;
  /**
   * Every connection, the first included: the time to read what was missed while not connected. `serverTimeMs`
   * is when the server accepted it, by its own clock (null from a server that does not say).
   */
  onConnected(isFirst: boolean, serverTimeMs: number | null): void;
  onAuthProblem(problem: AuthProblem): void;
  /**
   * A subscription the server ended (e.g. SUBSCRIPTION_OVERFLOW): it is started again after its last cursor (or,
   * when the server could not resume from it, CURSOR_EXPIRED, after the cursor its `renewCursor` took).
   */
  onSubscriptionRestarted(reason: string): void;
}

const KEEP_ALIVE_MS = 10_000;
const PONG_TIMEOUT_MS = 5_000;
const RESUBSCRIBE_DELAY_MS = 1_000;
/** graphql-ws: the client closes a connection whose pong never came, and reconnects. */
const CLOSE_PONG_TIMEOUT = 4408;

function closeEventOf(value: unknown): CloseEvent | null {
  return typeof value === 'object' && value !== null && 'code' in value && 'reason' in value
    ? (value as CloseEvent)
    : null;
}

export function liveUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${GRAPHQL_PATH}`;
}

/**
 * One graphql-ws connection that stays up: it reconnects by itself for as long as the page is open (backing off
 * to ten seconds), closes connections whose keep-alive pong does not come, and stops only when the server refuses
 * the token (4403). Subscriptions survive reconnections; what happened in between is re-read via `onConnected`.
 */
export class LiveConnection {
  private readonly client: Client;
  private connections = 0;
  private disposed = false;
  /** The server closed the connection over the token: it stays closed (no new connection) until a new token. */
  private tokenRefused = false;
  private socket: WebSocket | null = null;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    url: string,
    token: string | null,
    private readonly events: LiveConnectionEvents,
  ) {
    this.client = createClient({
      url,
      lazy: false,
      retryAttempts: Number.POSITIVE_INFINITY,
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retryDelayMs(retries))),
      shouldRetry: (error) => {
        const close = closeEventOf(error);
        return close !== null && authProblemOfClose(close.code, close.reason) === null;
      },
      connectionParams: () => (token ? { authorization: bearer(token) } : {}),
      keepAlive: KEEP_ALIVE_MS,
      onNonLazyError: (error) => this.fail(error),
      on: {
        connecting: (isRetry) => this.status(isRetry ? 'reconnecting' : 'connecting'),
        connected: (socket, payload) => {
          this.socket = socket as WebSocket;
          this.connections += 1;
          this.status('connected');
          this.events.onConnected(this.connections === 1, ackServerTimeMs(payload));
        },
        ping: (received) => {
          if (received) return;
          clearTimeout(this.pongTimer);
          this.pongTimer = setTimeout(() => {
            if (this.socket?.readyState === WebSocket.OPEN) this.socket.close(CLOSE_PONG_TIMEOUT, 'Pong timeout');
          }, PONG_TIMEOUT_MS);
        },
        pong: (received) => {
          if (received) clearTimeout(this.pongTimer);
        },
        closed: (event) => {
          clearTimeout(this.pongTimer);
          this.socket = null;
          if (this.disposed) return;
          const close = closeEventOf(event);
          const problem = close ? authProblemOfClose(close.code, close.reason) : null;
          if (problem) {
            this.tokenRefused = true;
            this.refuse(problem);
          } else this.status('reconnecting');
        },
      },
    });
  }

  /**
   * Keeps `document` subscribed until the returned function is called: a subscription the server ends is started
   * again after a second. Each item's `cursor` is kept in `variables.after`, so every (re)start, including the
   * ones graphql-ws makes by itself after a reconnection, resumes after the last item received. A cursor the
   * server can no longer resume from is replaced by `renewCursor` (which reads what was missed and sets a new
   * `variables.after`) before the restart; without it, or if it fails, the subscription restarts live from now.
   */
  subscribe<Result, Variables>(
    document: TypedDocumentString<Result, Variables>,
    variables: Variables & { after?: string | null },
    onData: (data: Result, item: LiveItem | null) => void,
    renewCursor?: () => Promise<void>,
  ): () => void {
    // graphql-ws would open a new connection for it, with the token just refused.
    if (this.tokenRefused || this.disposed) return () => {};
    let stopped = false;
    let refused = false;
    let lostCursor = false;
    // graphql-ws sends this same payload again on each reconnection: its `after` is always the latest cursor.
    const payload = { query: document.toString(), variables: variables as Record<string, unknown> };
    let release: () => void = () => {};
    let restartTimer: ReturnType<typeof setTimeout> | undefined;
    const restart = (reason: string) => {
      // A refused subscription (e.g. FORBIDDEN for this token) would only be refused again: it waits for a new token.
      if (stopped || refused || this.disposed) return;
      restartTimer = setTimeout(async () => {
        if (stopped || this.disposed) return;
        if (lostCursor) {
          lostCursor = false;
          payload.variables.after = null;
          await renewCursor?.().catch(() => {
            payload.variables.after = null;
          });
          if (stopped || this.disposed) return;
        }
        this.events.onSubscriptionRestarted(reason);
        start();
      }, RESUBSCRIBE_DELAY_MS);
    };
    const start = () => {
      release = this.client.subscribe<Result>(payload, {
        next: (result) => {
          const problem = authProblemOfErrors(result.errors);
          if (problem) {
            refused = true;
            this.refuse(problem);
          }
          if (result.errors?.some((error) => error.extensions?.code === 'CURSOR_EXPIRED')) lostCursor = true;
          if (result.data) {
            const item = itemOf(result.data);
            if (item?.cursor) payload.variables.after = item.cursor;
            onData(result.data as Result, item);
          }
        },
        error: (error) => {
          const close = closeEventOf(error);
          const problem = close ? authProblemOfClose(close.code, close.reason) : null;
          if (problem) this.refuse(problem);
          else restart(close ? `connection closed (${close.code})` : describe(error));
        },
        complete: () => restart('the server ended the subscription'),
      });
    };
    start();
    return () => {
      stopped = true;
      clearTimeout(restartTimer);
      release();
    };
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.pongTimer);
    void this.client.dispose();
  }

  private status(status: LinkStatus) {
    if (!this.disposed) this.events.onStatus(status);
  }

  private refuse(problem: AuthProblem) {
    if (this.disposed) return;
    this.events.onStatus('refused');
    this.events.onAuthProblem(problem);
  }

  private fail(error: unknown) {
    const close = closeEventOf(error);
    const problem = close ? authProblemOfClose(close.code, close.reason) : null;
    if (problem) {
      this.tokenRefused = true;
      this.refuse(problem);
    } else this.status('reconnecting');
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (Array.isArray(error))
    return error.map((item) => (item as { message?: string }).message ?? String(item)).join('; ');
  return String(error);
}
