import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ExecutionResult } from 'graphql';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import { loopTurn } from '../events/loop.turn.js';
import { requestIdOf } from '../http/request-id.js';
import { startHeartbeat } from './ws.heartbeat.js';
import { SocketWriteBatcher, type WriteBatchingOptions } from './ws.write-batching.js';

/**
 * A `next` payload already turned into JSON. A shared subscription hands the same result to every subscriber,
 * so it is serialised once and spliced into each subscriber's message (only the operation id differs).
 * graphql-ws turns a message into JSON (calling `toJSON` here) and passes it to `send` in one synchronous step,
 * so the payload set aside is always that of the message `send` receives next.
 */
export class SerializedPayload {
  constructor(readonly json: string) {}

  toJSON(): string {
    setAside = this.json;
    return PLACEHOLDER;
  }
}

const serializedResults = new WeakMap<ExecutionResult, SerializedPayload>();

/** The result's JSON, computed on its first delivery and reused for every other subscriber it goes to. */
export function serializedPayloadOf(result: ExecutionResult): SerializedPayload {
  let payload = serializedResults.get(result);
  if (!payload) {
    payload = new SerializedPayload(JSON.stringify(result));
    serializedResults.set(result, payload);
  }
  return payload;
}

const PLACEHOLDER = '\u0000serialized-payload';
const PLACEHOLDER_TAIL = `${JSON.stringify(PLACEHOLDER)}}`;
let setAside: string | null = null;

/** The message with its set-aside payload put in place (the payload is the message's last member). */
export function withSetAsidePayload(message: string): string {
  const json = setAside;
  setAside = null;
  if (json === null || !message.endsWith(PLACEHOLDER_TAIL)) return message;
  return `${message.slice(0, message.length - PLACEHOLDER_TAIL.length)}${json}}`;
}

/** Past this many bytes waiting in a socket's buffer, the next message is sent only once earlier ones are written. */
const SOCKET_HIGH_WATER_BYTES = 256 * 1024;

/** Sockets served by serveGraphqlWs, and the batcher of the server that serves each. */
const writeBatchers = new WeakMap<WebSocket, SocketWriteBatcher>();
const endOfTurnOnly = new SocketWriteBatcher({ busyAboveMessagesPerSecond: 0, maxDelayMs: 0 });

/** Corks the socket under `socket` until `batcher` writes it (see SocketWriteBatcher). */
function corkFor(socket: WebSocket, batcher: SocketWriteBatcher): void {
  // ws keeps the TCP socket private; corking it makes ws's own per-frame cork/uncork nest inside ours.
  const raw = (socket as unknown as { _socket?: Duplex })._socket;
  if (raw) batcher.corkFor(raw);
}

/**
 * A subscriber's socket and operation id: results without errors are written to it directly, as graphql-ws would
 * write them (`{"id":…,"type":"next","payload":…}`), without graphql-ws's per-message promise chain.
 */
export class DirectDelivery {
  private readonly prefix: string;
  private readonly batcher: SocketWriteBatcher;

  constructor(
    private readonly socket: WebSocket,
    id: string,
  ) {
    this.prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
    this.batcher = writeBatchers.get(socket) ?? endOfTurnOnly;
  }

  /**
   * Writes the result, unless the socket still held `backlogLimit` messages' worth of unsent bytes when this turn
   * of the event loop began: then the subscriber is too slow and false is returned (nothing written). What this
   * turn wrote is left out, so a burst of results that arrived together is not taken for a slow reader.
   */
  send(result: ExecutionResult, backlogLimit: number): boolean {
    const { socket } = this;
    if (socket.readyState !== socket.OPEN) return true;
    const { json } = serializedPayloadOf(result);
    if (backlogAtTurnStart(socket) > backlogLimit * (this.prefix.length + json.length)) return false;
    corkFor(socket, this.batcher);
    socket.send(`${this.prefix}${json}}`);
    return true;
  }
}

/** Each socket's unsent bytes at its first write of a turn of the event loop. */
const turnBacklogs = new WeakMap<WebSocket, { turn: number; bytes: number }>();

function backlogAtTurnStart(socket: WebSocket): number {
  const turn = loopTurn();
  const backlog = turnBacklogs.get(socket);
  if (!backlog) {
    const bytes = socket.bufferedAmount;
    turnBacklogs.set(socket, { turn, bytes });
    return bytes;
  }
  if (backlog.turn !== turn) {
    backlog.turn = turn;
    backlog.bytes = socket.bufferedAmount;
  }
  return backlog.bytes;
}

const directDeliveries = new WeakMap<object, DirectDelivery>();

/** Lets the subscription executed with this context value write its results straight to the socket. */
export function attachDirectDelivery(contextValue: object, socket: WebSocket, id: string): void {
  directDeliveries.set(contextValue, new DirectDelivery(socket, id));
}

export function directDeliveryOf(contextValue: unknown): DirectDelivery | undefined {
  return typeof contextValue === 'object' && contextValue !== null ? directDeliveries.get(contextValue) : undefined;
}

/**
 * What graphql-ws keeps of a connection (its `ctx.extra`) for as long as it is open: the socket and the id of the
 * upgrade request. Not the request itself, as graphql-ws's own `useServer` does: its headers would stay in memory
 * with every connection.
 */
export interface SocketExtra {
  readonly socket: WebSocket;
  readonly requestId: string;
}

export interface GraphqlWsTransport {
  dispose(): Promise<void>;
}

export interface GraphqlWsTransportOptions {
  /** Each open socket is pinged once per interval and closed when it has not answered the previous ping. */
  readonly keepAliveMs?: number;
  /** When messages are written to the sockets (see SocketWriteBatcher); by default once per event-loop turn. */
  readonly writeBatching?: WriteBatchingOptions;
}

/**
 * graphql-ws over a `ws` server, as graphql-ws's own `useServer`, with cheaper delivery: payloads serialised once
 * per shared result, one write per socket per event-loop turn (or per few milliseconds when busy, see
 * ws.write-batching.ts), `send` waiting for the socket only when its buffer is full (so a slow socket still stops
 * pulling from its bounded queue), and one heartbeat timer for all sockets instead of one per socket, pinging them
 * a slice at a time (ws.heartbeat.ts). Close reasons never carry internal error messages.
 */
export function serveGraphqlWs<X extends SocketExtra>(
  options: ServerOptions<Record<string, unknown>, X>,
  wsServer: WebSocketServer,
  { keepAliveMs = 12_000, writeBatching }: GraphqlWsTransportOptions = {},
): GraphqlWsTransport {
  const server = makeServer(options);
  wsServer.options.handleProtocols = handleProtocols;
  const batcher = writeBatching ? new SocketWriteBatcher(writeBatching) : endOfTurnOnly;

  const heartbeat = startHeartbeat(wsServer.clients, keepAliveMs);

  wsServer.once('error', () => {
    for (const client of wsServer.clients) client.close(CloseCode.InternalServerError, 'Internal server error');
  });

  wsServer.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    writeBatchers.set(socket, batcher);
    socket.once('error', () => socket.close(CloseCode.InternalServerError, 'Internal server error'));
    socket.on('pong', () => heartbeat.answered(socket));
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => {
          const message = withSetAsidePayload(data);
          if (socket.readyState !== socket.OPEN) return;
          corkFor(socket, batcher);
          if (socket.bufferedAmount < SOCKET_HIGH_WATER_BYTES) {
            socket.send(message);
            return;
          }
          return new Promise<void>((resolve, reject) =>
            socket.send(message, (error) => (error ? reject(error) : resolve())),
          );
        },
        close: (code, reason) => socket.close(code, reason),
        // Not an async listener: a subscribe message's handling lasts as long as its subscription, and an
        // awaiting listener would keep the message with it.
        onMessage: (handle) =>
          socket.on('message', (event) => {
            handle(String(event)).catch(() => socket.close(CloseCode.InternalServerError, 'Internal server error'));
          }),
      },
      { socket, requestId: requestIdOf(request) } as X,
    );
    socket.on('close', (code, reason) => {
      void closed(code, String(reason));
    });
  });

  return {
    dispose: async () => {
      heartbeat.stop();
      batcher.flush();
      for (const client of wsServer.clients) client.close(1001, 'Going away');
      wsServer.removeAllListeners();
      await new Promise<void>((resolve, reject) => wsServer.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
