import type http from 'node:http';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { WebSocketServer } from 'ws';
import type { OriginPolicy } from './origin.policy.js';

export interface WebSocketLimits {
  readonly maxPayloadBytes: number;
  readonly maxMessagesPerMinute: number;
}

/** graphql-ws's "too many" close code; its client does not reconnect after it. */
export const CLOSE_TOO_MANY_MESSAGES = 4429;

/**
 * The WebSocket server of /graphql with its transport limits: Origin allowlist (checked before the upgrade,
 * answered 403), largest message (ws closes with 1009 past it), and messages per minute per connection
 * (closed with 4429 past it). graphql-ws's own limits (init timeout, operations) are set where it is used.
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
  let connections = 0;
  // Registered before graphql-ws's listener, so it sees every message first.
  wsServer.on('connection', (socket) => {
    connections += 1;
    const key = String(connections);
    socket.on('message', () => {
      messages.consume(key).catch((refusal: unknown) => {
        if (refusal instanceof RateLimiterRes) socket.close(CLOSE_TOO_MANY_MESSAGES, 'Too many messages');
      });
    });
    socket.once('close', () => void messages.delete(key));
  });
  return wsServer;
}
