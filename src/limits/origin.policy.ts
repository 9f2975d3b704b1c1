import cors from 'cors';
import type { RequestHandler } from 'express';

/** Headers a browser client of /graphql sends (Apollo's CSRF prevention asks for the preflight ones). */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name'];

/**
 * Which web origins may use the API from a browser: the server's own origin (the dashboard it serves) and
 * those listed in CORS_ORIGINS. Clients without an Origin header (devices, servers, CLIs) are not browsers
 * and are not concerned; their access is decided by authentication alone.
 */
export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(allowedOrigins: readonly string[]) {
    this.allowed = new Set(allowedOrigins);
  }

  isListed(origin: string): boolean {
    return this.allowed.has(origin);
  }

  /** A WebSocket upgrade: no Origin, the same host as the request, or a listed origin. */
  allowsWebSocket(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined) return true;
    if (this.isListed(origin)) return true;
    try {
      return host !== undefined && new URL(origin).host === host.toLowerCase();
    } catch {
      return false;
    }
  }

  /**
   * CORS for /graphql: listed origins get their own origin echoed back (never `*`), no credentials (tokens
   * travel in the Authorization header, not in cookies). Others get no CORS headers, so browsers refuse.
   */
  corsMiddleware(): RequestHandler {
    return cors({
      origin: (origin, callback) => callback(null, origin !== undefined && this.isListed(origin)),
      credentials: false,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ALLOWED_HEADERS,
      maxAge: 600,
    });
  }
}
