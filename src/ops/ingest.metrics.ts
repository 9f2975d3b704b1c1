import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppMetrics } from './app.metrics.js';

/** The device endpoints as devices spell them, with their metric label. */
const INGEST_ENDPOINTS: ReadonlyArray<readonly [path: string, label: string]> = [
  ['/api/tracking/postAmbulanceTracking', 'tracking'],
  ['/api/crash/postAmbulanceCrashNotify', 'crash'],
  ['/api/snapshot/postAmbulanceImageUpload', 'snapshot'],
  ['/error_codes', 'error_codes'],
  ['/', 'home'],
];
const LOWER_CASE_ENDPOINTS = INGEST_ENDPOINTS.map(([path, label]) => [path.toLowerCase(), label] as const);
const SLASH = 47;

/**
 * The metric label of a device request's URL. Matches as the ingest handler does (any case, optional
 * trailing slash); the usual spelling is matched without allocating. Anything else under /api is `other`.
 */
export function ingestEndpointOf(url: string): string {
  const queryAt = url.indexOf('?');
  let end = queryAt === -1 ? url.length : queryAt;
  if (end > 1 && url.charCodeAt(end - 1) === SLASH) end -= 1;
  for (const [path, label] of INGEST_ENDPOINTS) {
    if (end === path.length && url.startsWith(path)) return label;
  }
  for (const [path, label] of LOWER_CASE_ENDPOINTS) {
    if (end === path.length && url.slice(0, end).toLowerCase() === path) return label;
  }
  return 'other';
}

type Handler = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * Counts every response of the device endpoints by endpoint and status. One listener function serves all
 * requests; a response closed before it finished (client gone, socket destroyed) counts as status 499.
 */
export function instrumentIngest(handler: Handler, metrics: AppMetrics): Handler {
  function countResponse(this: ServerResponse) {
    metrics.countIngest(ingestEndpointOf(this.req.url ?? '/'), this.writableFinished ? this.statusCode : 499);
  }
  return (request, response) => {
    if (!handler(request, response)) return false;
    response.on('close', countResponse);
    return true;
  };
}
