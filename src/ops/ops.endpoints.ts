import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import proxyaddr from 'proxy-addr';
import type { AppMetrics } from './app.metrics.js';
import type { Readiness } from './readiness.js';

export const OPS_PATHS = { health: '/healthz', ready: '/readyz', metrics: '/metrics' } as const;

export interface OpsEndpointsOptions {
  readonly metrics: AppMetrics;
  readonly readiness: Readiness;
  /** When set, /metrics answers only `Authorization: Bearer <token>`. */
  readonly metricsToken: string | undefined;
  /** Networks /metrics answers, by the TCP peer's address (Prometheus scrapes the app directly, never via the proxy). */
  readonly metricsNetworks: readonly string[];
  readonly logger: Logger;
}

/** `path` alone or followed by a query string. */
function matcher(path: string): (url: string) => boolean {
  const withQuery = `${path}?`;
  return (url) => url === path || url.startsWith(withQuery);
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/**
 * /healthz (the process is alive and serving: cheap, no I/O), /readyz (dependencies answer; 503 naming
 * what is down, or while shutting down) and /metrics (Prometheus). Served on the plain Node request,
 * ahead of the device endpoints and Express. Returns false for any other path.
 */
export function createOpsEndpoints(options: OpsEndpointsOptions) {
  const isHealth = matcher(OPS_PATHS.health);
  const isReady = matcher(OPS_PATHS.ready);
  const isMetrics = matcher(OPS_PATHS.metrics);
  const expectedAuthorization = options.metricsToken ? Buffer.from(`Bearer ${options.metricsToken}`) : null;

  const metricsPeerAllowed = proxyaddr.compile([...options.metricsNetworks]);
  const fromAllowedNetwork = (request: IncomingMessage): boolean => {
    const peer = request.socket.remoteAddress;
    return peer !== undefined && metricsPeerAllowed(peer, 0);
  };

  const authorized = (request: IncomingMessage): boolean => {
    if (!expectedAuthorization) return true;
    const given = Buffer.from(request.headers.authorization ?? '');
    return given.length === expectedAuthorization.length && timingSafeEqual(given, expectedAuthorization);
  };

  const serveMetrics = async (request: IncomingMessage, response: ServerResponse) => {
    if (!fromAllowedNetwork(request)) {
      send(
        request,
        response,
        403,
        JSON.stringify({ error: 'metrics are served only to METRICS_ALLOWED_NETWORKS (scrape the app directly)' }),
      );
      return;
    }
    if (!authorized(request)) {
      send(request, response, 401, JSON.stringify({ error: 'metrics need Authorization: Bearer <METRICS_TOKEN>' }), {
        'www-authenticate': 'Bearer realm="metrics"',
      });
      return;
    }
    const body = await options.metrics.registry.metrics();
    send(request, response, 200, body, { 'content-type': options.metrics.registry.contentType });
  };

  const serveReady = async (request: IncomingMessage, response: ServerResponse) => {
    const report = await options.readiness.report();
    send(request, response, report.status === 'ready' ? 200 : 503, JSON.stringify(report));
  };

  return (request: IncomingMessage, response: ServerResponse): boolean => {
    const url = request.url ?? '/';
    const route = isHealth(url) ? 'health' : isReady(url) ? 'ready' : isMetrics(url) ? 'metrics' : null;
    if (!route) return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(request, response, 405, JSON.stringify({ error: `${url} answers GET and HEAD only` }), {
        allow: 'GET, HEAD',
      });
      return true;
    }
    if (route === 'health') {
      send(request, response, 200, '{"status":"ok"}');
      return true;
    }
    (route === 'ready' ? serveReady : serveMetrics)(request, response).catch((error: unknown) => {
      options.logger.error({ err: error, path: url }, 'ops endpoint failed');
      if (!response.headersSent) send(request, response, 500, JSON.stringify({ error: 'internal error' }));
      else response.destroy();
    });
    return true;
  };
}
