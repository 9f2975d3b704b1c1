import { type NextFunction, type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import { isStorageUnavailable } from '../models/storage.errors.js';
import type { CrashService } from './crash.service.js';
import { type BodyLimits, legacyBodyParser } from './ingest.body.js';
import { IngestError } from './ingest.errors.js';
import { parsePositionReport, readAmbulanceId } from './position.parse.js';
import type { SnapshotService } from './snapshot.service.js';
import type { TrackingWriter } from './tracking.writer.js';

export interface IngestDependencies {
  readonly trackingWriter: TrackingWriter;
  readonly crashService: CrashService;
  readonly snapshotService: SnapshotService;
  readonly limits: BodyLimits;
  readonly logger: Logger;
}

export const LEGACY_HOME_PAGE =
  '<!DOCTYPE html><html><head><title>AOC-V.2</title></head><body><h1>AOC-V.2 Tracking Server On</h1></body></html>';

const STORAGE_RETRY_AFTER_SECONDS = 5;

const fieldsOf = (request: Request) => request.body as Record<string, unknown>;

/** The legacy REST endpoints devices keep calling, with their paths, status codes and response bodies. */
export function createIngestRouter(deps: IngestDependencies): Router {
  const router = Router();

  router.get('/', (_request, response) => {
    response.type('html').send(LEGACY_HOME_PAGE);
  });

  router.get('/error_codes', (_request, response) => {
    response.json({ 500: 'Error on server.' });
  });

  router.post(
    '/api/tracking/postAmbulanceTracking',
    legacyBodyParser(deps.limits, false),
    async (request: Request, response: Response) => {
      await deps.trackingWriter.write(parsePositionReport(fieldsOf(request)));
      response.json({ success: true });
    },
  );

  router.post(
    '/api/crash/postAmbulanceCrashNotify',
    legacyBodyParser(deps.limits, false),
    async (request: Request, response: Response) => {
      const outcome = await deps.crashService.report(parsePositionReport(fieldsOf(request)));
      response.json(outcome.duplicate ? { success: true, duplicate: true } : { success: true });
    },
  );

  router.post(
    '/api/snapshot/postAmbulanceImageUpload',
    legacyBodyParser(deps.limits, true),
    async (request: Request, response: Response) => {
      const ambulanceId = readAmbulanceId(fieldsOf(request));
      const files = (Array.isArray(request.files) ? request.files : []).map((file) => ({
        field: file.fieldname,
        data: file.buffer,
      }));
      await deps.snapshotService.store(ambulanceId, files);
      response.json({ success: true });
    },
  );

  router.use('/api', (request: Request, _response: Response, next: NextFunction) => {
    next(new IngestError(404, 'NOT_FOUND', `no endpoint ${request.method} ${request.baseUrl}${request.path}`));
  });

  router.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    if (error instanceof IngestError) {
      response.status(error.status).json(error.toBody());
      return;
    }
    if (isStorageUnavailable(error)) {
      deps.logger.warn({ path: request.path, err: (error as Error).message }, 'storage unavailable; refused with 503');
      response.status(503).set('Retry-After', String(STORAGE_RETRY_AFTER_SECONDS)).json({
        success: false,
        code: 'STORAGE_UNAVAILABLE',
        error: 'storage is unavailable; nothing was stored, retry later',
      });
      return;
    }
    deps.logger.error({ path: request.path, err: error }, 'ingest request failed');
    response.status(500).json({ success: false, code: 'INTERNAL', error: 'Error on server.' });
  });

  return router;
}
