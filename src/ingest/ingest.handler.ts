import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { IngestEndpoint } from '../config/security.env.js';
import { invalidField, RefusalError } from '../domain/refusal.error.js';
import { IngestFailureCode, RefusalCode } from '../errors/error.codes.js';
import { requestIdOf } from '../http/request-id.js';
import { isStorageUnavailable } from '../models/storage.errors.js';
import type { BodyLimits } from '../uploads/body.limits.js';
import type { FileAdmission, UploadSpool } from '../uploads/upload.spool.js';
import type { CrashService } from '../writes/crash.service.js';
import { noFilesError, type SnapshotService } from '../writes/snapshot.service.js';
import type { TrackingWriter } from '../writes/tracking.writer.js';
import type { DeviceTimeMonitor } from './device-time.monitor.js';
import { type DeviceTimeBounds, readDeviceTime } from './device-time.parse.js';
import { type LegacyBody, legacyBodyParser } from './ingest.body.js';
import type { IngestGuard } from './ingest.guard.js';
import { parsePositionReport, readAmbulanceId } from './position.parse.js';

export interface IngestDependencies {
  readonly trackingWriter: TrackingWriter;
  readonly crashService: CrashService;
  readonly snapshotService: SnapshotService;
  readonly limits: BodyLimits;
  /** Streams snapshot files to temporary files, within the in-flight upload cap. */
  readonly uploadSpool: UploadSpool;
  readonly deviceTimeBounds: DeviceTimeBounds;
  /** Counts and logs device times set aside as out of bounds. */
  readonly deviceTimeMonitor?: DeviceTimeMonitor;
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
  const positionBody = legacyBodyParser(deps.limits);
  const snapshotBody = legacyBodyParser(deps.limits, deps.uploadSpool);
  const parser = { tracking: positionBody, crash: positionBody, snapshot: snapshotBody };

  /**
   * Where a device key is required, it is checked on the fields sent before the first file, so an upload
   * without a valid key never reserves upload capacity nor writes a byte to disk.
   */
  const keyBeforeFiles = (request: IncomingMessage, endpoint: IngestEndpoint): FileAdmission | undefined => {
    const { guard } = deps;
    if (!guard?.requiresKey(endpoint)) return undefined;
    return (fields) => {
      if (fields.ambulance_id === undefined) {
        throw invalidField('ambulance_id', 'must come before the files: the device key is checked before images');
      }
      guard.checkKey(request, endpoint, readAmbulanceId(fields), fields);
    };
  };

  /**
   * Runs `handle` on a device request that passed the guards. The body is validated before the per-device
   * checks, so a malformed body never counts against (or is mistaken for) the device it names; its temporary
   * files are removed whatever the outcome.
   */
  const admitted = async <T>(
    request: IncomingMessage,
    response: ServerResponse,
    endpoint: IngestEndpoint,
    validate: (body: LegacyBody) => T & { readonly ambulanceId: string },
    handle: (valid: T) => Promise<string>,
  ): Promise<void> => {
    const address = await deps.guard?.admitRequest(request, endpoint);
    const body = await parser[endpoint](request, response, keyBeforeFiles(request, endpoint));
    let answer: string;
    try {
      const valid = validate(body);
      if (deps.guard && address !== undefined) {
        await deps.guard.admitDevice(request, address, endpoint, valid.ambulanceId, body.fields);
      }
      answer = await handle(valid);
    } finally {
      // Stored is stored: a temporary file left behind is logged, never turned into an error the device retries.
      await body.release().catch((error: unknown) => {
        deps.logger.warn({ err: error, endpoint }, 'temporary upload files could not be removed');
      });
    }
    reply(response, 200, answer);
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
        await admitted(
          request,
          response,
          'tracking',
          ({ fields }) => {
            const report = parsePositionReport(fields);
            const deviceTime = readDeviceTime(fields, new Date(), deps.deviceTimeBounds);
            return { ambulanceId: report.ambulanceId, report, deviceTime };
          },
          async ({ report, deviceTime }) => {
            if (deviceTime.ignored) {
              const { reason, detail } = deviceTime.ignored;
              deps.deviceTimeMonitor?.record(report.ambulanceId, reason, detail);
            }
            const outcome = await deps.trackingWriter.write({ ...report, deviceTime: deviceTime.time });
            return outcome.duplicate ? DUPLICATE : SUCCESS;
          },
        );
      },
    ],
    [
      'POST /api/crash/postAmbulanceCrashNotify',
      async (request, response) => {
        await admitted(
          request,
          response,
          'crash',
          ({ fields }) => {
            const report = parsePositionReport(fields);
            return { ambulanceId: report.ambulanceId, report };
          },
          async ({ report }) => {
            const outcome = await deps.crashService.report(report);
            return outcome.duplicate ? DUPLICATE : SUCCESS;
          },
        );
      },
    ],
    [
      'POST /api/snapshot/postAmbulanceImageUpload',
      async (request, response) => {
        await admitted(
          request,
          response,
          'snapshot',
          ({ fields, files }) => {
            const ambulanceId = readAmbulanceId(fields);
            if (files.length === 0) throw noFilesError();
            return { ambulanceId, files };
          },
          async (upload) => {
            await deps.snapshotService.store(upload.ambulanceId, upload.files);
            return SUCCESS;
          },
        );
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
    if (error instanceof RefusalError) {
      // A throttled device retries often: its refusals would flood the log at warn.
      const level = error.status === 429 ? 'debug' : 'warn';
      deps.logger[level]({ ...context, status: error.status, code: error.code, field: error.field }, 'ingest refused');
      // A body refused before it was read to the end (an upload) is not read further: the connection closes.
      const closing: Record<string, string> = request.complete ? {} : { connection: 'close' };
      reply(response, error.status, JSON.stringify(error.toBody()), { ...error.headers, ...closing });
    } else if (isStorageUnavailable(error)) {
      deps.logger.warn({ ...context, err: (error as Error).message }, 'storage unavailable; refused with 503');
      reply(
        response,
        503,
        JSON.stringify({
          success: false,
          code: IngestFailureCode.StorageUnavailable,
          error: 'storage is unavailable; nothing was stored, retry later',
        }),
        { 'retry-after': String(STORAGE_RETRY_AFTER_SECONDS) },
      );
    } else {
      deps.logger.error({ ...context, err: error }, 'ingest request failed');
      reply(
        response,
        500,
        JSON.stringify({ success: false, code: IngestFailureCode.Internal, error: 'Error on server.' }),
      );
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
      fail(new RefusalError(404, RefusalCode.NotFound, `no endpoint ${request.method} ${path}`), request, response);
      return true;
    }
    return false;
  };
}
