import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { isStorageUnavailable } from '../models/storage.errors.js';
import type { IngestEndpoint } from '../config/security.env.js';
import { requestIdOf } from '../ops/request-id.js';
import type { CrashService } from './crash.service.js';
import { type DeviceTimeBounds, readDeviceTime } from './device-time.parse.js';
import { type BodyLimits, legacyBodyParser } from './ingest.body.js';
import { IngestError } from './ingest.errors.js';
import type { IngestGuard } from './ingest.guard.js';
import { parsePositionReport, readAmbulanceId } from './position.parse.js';
import type { SnapshotService } from './snapshot.service.js';
import type { TrackingWriter } from './tracking.writer.js';

export interface IngestDependencies {
  readonly trackingWriter: TrackingWriter;
  readonly crashService: CrashService;
  readonly snapshotService: SnapshotService;
  readonly limits: BodyLimits;
  readonly deviceTimeBounds: DeviceTimeBounds;
  /** Network, key and rate checks; none when absent. */
  readonly guard?: IngestGuard;
  readonly logger: Logger;
}

export const LEGACY_HOME_PAGE =
  '<!DOCTYPE html><html><head><title>AOC-V.2</title></head><body><h1>AOC-V.2 Tracking Server On</h1></body></html>';

const STORAGE_RETRY_AFTER_SECONDS = 5;
const SUCCESS = JSON.stringify({ success: true });
const DUPLICATE = JSON.stringify({ success: true, duplicate: true });

type Reply = (response: ServerResponse, status: number, body: string, headers?: Record<string, string>) => void;

const reply: Reply = (response, status, body, headers = {}) => {
  response.writeHead(status, {
    'content-type': headers['content-type'] ?? 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
};

type Route = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/**
 * The legacy REST endpoints devices keep calling, with their paths, status codes and response bodies.
 * They run on the plain Node request, ahead of Express: measured here, Express's per-request work cut
 * a bare JSON endpoint from about 9,300 to 3,200 requests/s, and devices make most of the requests.
 * Returns false for any other request, which then goes to Express (GraphQL, uploads).
 */
export function createIngestHandler(deps: IngestDependencies) {
  const positionBody = legacyBodyParser(deps.limits, false);
  const snapshotBody = legacyBodyParser(deps.limits, true);
  const parser = { tracking: positionBody, crash: positionBody, snapshot: snapshotBody };

  /** The body of a device request that passed the guards, with the ambulance id it names. */
  const admitted = async (request: IncomingMessage, response: ServerResponse, endpoint: IngestEndpoint) => {
    await deps.guard?.admitRequest(request, endpoint);
    const body = await parser[endpoint](request, response);
    const ambulanceId = readAmbulanceId(body.fields);
    await deps.guard?.admitDevice(request, endpoint, ambulanceId, body.fields);
    return { ...body, ambulanceId };
  };

  const routes = new Map<string, Route>([
    [
      'GET /',
      async (_request, response) =>
        reply(response, 200, LEGACY_HOME_PAGE, { 'content-type': 'text/html; charset=utf-8' }),
    ],
    [
      'GET /error_codes',
      async (_request, response) => reply(response, 200, JSON.stringify({ 500: 'Error on server.' })),
    ],
    [
      'POST /api/tracking/postAmbulanceTracking',
      async (request, response) => {
        const { fields } = await admitted(request, response, 'tracking');
        const report = parsePositionReport(fields);
        const deviceTime = readDeviceTime(fields, new Date(), deps.deviceTimeBounds);
        const outcome = await deps.trackingWriter.write({ ...report, deviceTime });
        reply(response, 200, outcome.duplicate ? DUPLICATE : SUCCESS);
      },
    ],
    [
      'POST /api/crash/postAmbulanceCrashNotify',
      async (request, response) => {
        const { fields } = await admitted(request, response, 'crash');
        const outcome = await deps.crashService.report(parsePositionReport(fields));
        reply(response, 200, outcome.duplicate ? DUPLICATE : SUCCESS);
      },
    ],
    [
      'POST /api/snapshot/postAmbulanceImageUpload',
      async (request, response) => {
        const { ambulanceId, files } = await admitted(request, response, 'snapshot');
        await deps.snapshotService.store(ambulanceId, files);
        reply(response, 200, SUCCESS);
      },
    ],
  ]);

  const routesByKey = new Map([...routes].map(([key, route]) => [key.toLowerCase(), route]));

  const fail = (error: unknown, request: IncomingMessage, response: ServerResponse) => {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    // Refusals and failures are logged (successes are not: thousands a second); never the body's values.
    const context = { reqId: requestIdOf(request), path: request.url };
    if (error instanceof IngestError) {
      // A throttled device retries often: its refusals would flood the log at warn.
      const level = error.status === 429 ? 'debug' : 'warn';
      deps.logger[level]({ ...context, status: error.status, code: error.code, field: error.field }, 'ingest refused');
      reply(response, error.status, JSON.stringify(error.toBody()), { ...error.headers });
    } else if (isStorageUnavailable(error)) {
      deps.logger.warn({ ...context, err: (error as Error).message }, 'storage unavailable; refused with 503');
      reply(
        response,
        503,
        JSON.stringify({
          success: false,
          code: 'STORAGE_UNAVAILABLE',
          error: 'storage is unavailable; nothing was stored, retry later',
        }),
        { 'retry-after': String(STORAGE_RETRY_AFTER_SECONDS) },
      );
    } else {
      deps.logger.error({ ...context, err: error }, 'ingest request failed');
      reply(response, 500, JSON.stringify({ success: false, code: 'INTERNAL', error: 'Error on server.' }));
    }
  };

  return (request: IncomingMessage, response: ServerResponse): boolean => {
    const url = request.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    // Matched as Express matched them for the legacy server: case-insensitive, with or without a trailing slash.
    const routeKey = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    const route = routesByKey.get(`${method} ${routeKey}`.toLowerCase());
    if (route) {
      route(request, response).catch((error: unknown) => fail(error, request, response));
      return true;
    }
    if (path === '/api' || path.startsWith('/api/')) {
      fail(new IngestError(404, 'NOT_FOUND', `no endpoint ${request.method} ${path}`), request, response);
      return true;
    }
    return false;
  };
}
