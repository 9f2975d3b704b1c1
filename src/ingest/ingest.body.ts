import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import multer from 'multer';
import typeis from 'type-is';
import { IngestError } from './ingest.errors.js';

export interface BodyLimits {
  readonly maxBodyBytes: number;
  readonly maxFileBytes: number;
  readonly maxFiles: number;
}

const MAX_FIELDS = 20;
const MAX_FIELD_BYTES = 1024;

const MULTER_ERRORS: Record<string, { status: number; message: (limits: BodyLimits) => string }> = {
  LIMIT_FILE_SIZE: { status: 413, message: (l) => `each file may be at most ${l.maxFileBytes} bytes` },
  LIMIT_FILE_COUNT: { status: 413, message: (l) => `at most ${l.maxFiles} files per request` },
  LIMIT_FIELD_COUNT: { status: 413, message: () => `at most ${MAX_FIELDS} form fields per request` },
  LIMIT_FIELD_VALUE: { status: 413, message: () => `each form field may be at most ${MAX_FIELD_BYTES} bytes` },
  LIMIT_FIELD_KEY: { status: 400, message: () => 'a form field name is too long' },
  LIMIT_PART_COUNT: { status: 413, message: () => 'too many parts in the multipart body' },
  LIMIT_UNEXPECTED_FILE: { status: 400, message: () => 'this endpoint takes no files' },
};

function translateParserError(error: unknown, limits: BodyLimits): IngestError {
  if (error instanceof IngestError) return error;
  if (error instanceof multer.MulterError) {
    const known = MULTER_ERRORS[error.code];
    return new IngestError(known?.status ?? 400, error.code, known?.message(limits) ?? error.message, error.field);
  }
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large') {
    return new IngestError(413, 'BODY_TOO_LARGE', `request body may be at most ${limits.maxBodyBytes} bytes`);
  }
  if (type === 'entity.parse.failed') return new IngestError(400, 'MALFORMED_BODY', 'request body is not valid JSON');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return new IngestError(415, 'UNSUPPORTED_ENCODING', 'send the body as UTF-8 without content encoding');
  }
  if (error instanceof Error && /multipart|boundary|busboy|Unexpected end of form/i.test(error.message)) {
    return new IngestError(400, 'MALFORMED_BODY', `multipart body could not be read: ${error.message}`);
  }
  return new IngestError(400, 'MALFORMED_BODY', 'request body could not be read');
}

export interface LegacyBody {
  readonly fields: Record<string, unknown>;
  readonly files: ReadonlyArray<{ readonly field: string; readonly data: Buffer }>;
}

type ParsedRequest = IncomingMessage & { body?: unknown; files?: Express.Multer.File[] };
type Middleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Parses the bodies devices send today: JSON, URL-encoded forms and multipart forms, with the files
 * of a multipart body (under any field name) kept in memory up to the configured limits. The parsers are
 * body-parser's and multer's, used on the plain Node request (the ingest path runs without Express).
 */
export function legacyBodyParser(
  limits: BodyLimits,
  acceptFiles: boolean,
): (request: IncomingMessage, response: ServerResponse) => Promise<LegacyBody> {
  const json = express.json({ limit: limits.maxBodyBytes, strict: true, type: () => true });
  const form = express.urlencoded({ limit: limits.maxBodyBytes, extended: false, parameterLimit: MAX_FIELDS });
  // Without files, one file part is let through to `.none()`, which refuses it as LIMIT_UNEXPECTED_FILE (400,
  // naming the field); a files limit of 0 would refuse it as LIMIT_FILE_COUNT ("at most N files", 413) instead.
  const multipartParser = multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: limits.maxFileBytes,
      files: acceptFiles ? limits.maxFiles : 1,
      fields: MAX_FIELDS,
      fieldSize: MAX_FIELD_BYTES,
      fieldNameSize: 100,
      parts: MAX_FIELDS + (acceptFiles ? limits.maxFiles : 1),
    },
  });
  const multipart = acceptFiles ? multipartParser.any() : multipartParser.none();

  const parserFor = (request: IncomingMessage): Middleware | null => {
    if (typeis(request, ['application/json'])) return json as unknown as Middleware;
    if (typeis(request, ['application/x-www-form-urlencoded'])) return form as unknown as Middleware;
    if (typeis(request, ['multipart/form-data'])) return multipart as unknown as Middleware;
    return null;
  };

  return (request: ParsedRequest, response: ServerResponse) =>
    new Promise<LegacyBody>((resolve, reject) => {
      if (!typeis.hasBody(request) || request.headers['content-length'] === '0') {
        reject(new IngestError(400, 'EMPTY_BODY', 'request body is empty; send the fields as JSON or a form'));
        return;
      }
      const parser = parserFor(request);
      if (!parser) {
        reject(
          new IngestError(
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            'send application/json, application/x-www-form-urlencoded or multipart/form-data',
          ),
        );
        return;
      }
      parser(request, response, (error?: unknown) => {
        if (error) return reject(translateParserError(error, limits));
        const body: unknown = request.body;
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          return reject(new IngestError(400, 'MALFORMED_BODY', 'request body must be an object of fields'));
        }
        const files = (request.files ?? []).map((file) => ({ field: file.fieldname, data: file.buffer }));
        resolve({ fields: body as Record<string, unknown>, files });
      });
    });
}
