import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import multer from 'multer';
import typeis from 'type-is';
import { RefusalError } from '../domain/refusal.error.js';
import { RefusalCode } from '../errors/error.codes.js';
import { type BodyLimits, limitError, MAX_FIELD_BYTES, MAX_FIELDS } from '../uploads/body.limits.js';
import type { FileAdmission, SpooledImage, UploadSpool } from '../uploads/upload.spool.js';

function translateParserError(error: unknown, limits: BodyLimits): RefusalError {
  if (error instanceof RefusalError) return error;
  if (error instanceof multer.MulterError) return limitError(error.code, limits, error.field, error.message);
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large') {
    return new RefusalError(413, RefusalCode.BodyTooLarge, `request body may be at most ${limits.maxBodyBytes} bytes`);
  }
  if (type === 'parameters.too.many') return limitError(RefusalCode.LimitFieldCount, limits);
  if (type === 'entity.parse.failed')
    return new RefusalError(400, RefusalCode.MalformedBody, 'request body is not valid JSON');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return new RefusalError(415, RefusalCode.UnsupportedEncoding, 'send the body as UTF-8 without content encoding');
  }
  if (error instanceof Error && /multipart|boundary|busboy|Unexpected end of form/i.test(error.message)) {
    return new RefusalError(400, RefusalCode.MalformedBody, `multipart body could not be read: ${error.message}`);
  }
  return new RefusalError(400, RefusalCode.MalformedBody, 'request body could not be read');
}

export interface LegacyBody {
  readonly fields: Record<string, unknown>;
  /** Images of a snapshot upload, in temporary files. */
  readonly files: readonly SpooledImage[];
  /** Removes temporary files not moved into place and frees the upload's in-flight bytes. */
  release(): Promise<void>;
}

const NOTHING_TO_RELEASE = async () => {};

type ParsedRequest = IncomingMessage & { body?: unknown };
type Middleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Parses the bodies devices send today: JSON, URL-encoded forms and multipart forms. The parsers are
 * body-parser's and multer's, used on the plain Node request (the ingest path runs without Express); with a
 * `spool` (the snapshot endpoint), multipart files (under any field name) are streamed to temporary files,
 * once `admitFiles` accepted the fields sent before them. Without one, a multipart body may carry no file.
 */
export function legacyBodyParser(
  limits: BodyLimits,
  spool?: UploadSpool,
): (request: IncomingMessage, response: ServerResponse, admitFiles?: FileAdmission) => Promise<LegacyBody> {
  const json = express.json({ limit: limits.maxBodyBytes, strict: true, type: () => true });
  const form = express.urlencoded({ limit: limits.maxBodyBytes, extended: false, parameterLimit: MAX_FIELDS });
  // Without files, one file part is let through to `.none()`, which refuses it as LIMIT_UNEXPECTED_FILE (400,
  // naming the field); a files limit of 0 would refuse it as LIMIT_FILE_COUNT ("at most N files", 413) instead.
  const multipart = multer({
    limits: { files: 1, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, fieldNameSize: 100, parts: MAX_FIELDS + 1 },
  }).none();

  const parserFor = (request: IncomingMessage): Middleware | null => {
    if (typeis(request, ['application/json'])) return json as unknown as Middleware;
    if (typeis(request, ['application/x-www-form-urlencoded'])) return form as unknown as Middleware;
    if (typeis(request, ['multipart/form-data'])) return multipart as unknown as Middleware;
    return null;
  };

  return (request: ParsedRequest, response: ServerResponse, admitFiles?: FileAdmission) =>
    new Promise<LegacyBody>((resolve, reject) => {
      if (!typeis.hasBody(request) || request.headers['content-length'] === '0') {
        reject(
          new RefusalError(400, RefusalCode.EmptyBody, 'request body is empty; send the fields as JSON or a form'),
        );
        return;
      }
      if (spool && typeis(request, ['multipart/form-data'])) {
        spool.read(request, admitFiles).then(resolve, reject);
        return;
      }
      const parser = parserFor(request);
      if (!parser) {
        reject(
          new RefusalError(
            415,
            RefusalCode.UnsupportedMediaType,
            'send application/json, application/x-www-form-urlencoded or multipart/form-data',
          ),
        );
        return;
      }
      parser(request, response, (error?: unknown) => {
        if (error) return reject(translateParserError(error, limits));
        const body: unknown = request.body;
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          return reject(new RefusalError(400, RefusalCode.MalformedBody, 'request body must be an object of fields'));
        }
        resolve({ fields: body as Record<string, unknown>, files: [], release: NOTHING_TO_RELEASE });
      });
    });
}
