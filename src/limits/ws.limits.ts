import type http from 'node:http';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { WebSocketServer } from 'ws';
import { ConnectionCounter } from './connection.counter.js';
import type { OriginPolicy } from './origin.policy.js';

export interface WebSocketLimits {
  readonly maxPayloadBytes: number;
  readonly maxMessagesPerMinute: number;
  /** Open connections per client address; 0 for no cap. */
  readonly maxConnectionsPerAddress: number;
  /** The client's address (X-Forwarded-For as far as the proxies are trusted). */
  readonly clientAddress: (request: http.IncomingMessage) => string;
}

/** graphql-ws's "too many" close code; its client does not reconnect after it. */
export const CLOSE_TOO_MANY = 4429;

/**
 * The WebSocket server of /graphql with its transport limits: Origin allowlist (checked before the upgrade,
 * answered 403), largest message (ws closes with 1009 past it), messages per minute per connection and open
 * connections per client address (closed with 4429 past them). graphql-ws's own limits (init timeout,
 * operations, connections per token) are set where it is used.
 */
export function createLimitedWebSocketServer(
  httpServer: http.Server,
  path: string,
  limits: WebSocketLimits,
  origins: OriginPolicy,
): WebSocketServer {
  const wsServer = new WebSocketServer({
    server: httpServer,
    path,
    maxPayload: limits.maxPayloadBytes,
    verifyClient: (info, callback) => {
      if (origins.allowsWebSocket(info.req.headers.origin, info.req.headers.host)) callback(true);
      else callback(false, 403, 'Origin not allowed');
    },
  });
  const messages = new RateLimiterMemory({ points: limits.maxMessagesPerMinute, duration: 60 });
  const perAddress = new ConnectionCounter(limits.maxConnectionsPerAddress);
  let connections = 0;
  // Registered before graphql-ws's listener, so it sees every connection and message first.
  wsServer.on('connection', (socket, request) => {
    const address = limits.clientAddress(request);
    if (!perAddress.tryOpen(address)) {
      socket.close(
        CLOSE_TOO_MANY,
        `Too many connections from this address (at most ${perAddress.max}); close one first`,
      );
      return;
    }
    connections += 1;
    const key = String(connections);
    socket.on('message', () => {
      messages.consume(key).catch((refusal: unknown) => {
        if (refusal instanceof RateLimiterRes) socket.close(CLOSE_TOO_MANY, 'Too many messages');
      });
    });
    // 'close' comes once; one listener (not `once`, which keeps a wrapper) while the socket is open.
    socket.on('close', () => {
      perAddress.close(address);
      void messages.delete(key);
    });
  });
  return wsServer;
}
