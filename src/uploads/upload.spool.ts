import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { type ImageKind, sniffImage } from '../domain/image.sniff.js';
import { RefusalError } from '../domain/refusal.error.js';
import { RefusalCode } from '../errors/error.codes.js';
import { type BodyLimits, limitError, MAX_FIELD_BYTES, MAX_FIELDS } from './body.limits.js';
import type { UploadBudget } from './upload.budget.js';

/** An uploaded image written to a temporary file, its type checked from its first bytes. */
export interface SpooledImage {
  readonly field: string;
  readonly kind: ImageKind;
  /** The temporary file; SnapshotService moves it into place. */
  readonly path: string;
  readonly size: number;
}

export interface SpooledBody {
  readonly fields: Record<string, unknown>;
  readonly files: readonly SpooledImage[];
  /** Removes temporary files not moved into place and frees the in-flight reservation; call once done. */
  release(): Promise<void>;
}

/**
 * Checks the fields sent before the first file (the device key, say) before any file byte is accepted;
 * throws a RefusalError to refuse the upload.
 */
export type FileAdmission = (fieldsBeforeFiles: Readonly<Record<string, unknown>>) => void;

/** Bytes needed to tell JPEG, PNG, GIF and WebP apart (WebP's mark is at bytes 8 to 11). */
const SNIFF_BYTES = 12;
/** Room for part headers, boundaries and file names beside the files and fields themselves. */
const PART_OVERHEAD_BYTES = 16 * 1024;
const CAPACITY_RETRY_AFTER_SECONDS = 5;

const removeFile = (file: string) =>
  unlink(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });

/**
 * Reads multipart uploads of the snapshot endpoint without holding files in memory: each file is checked
 * to be an image from its first bytes (refused at once otherwise, before the rest is read), then streamed
 * to a temporary file in `directory` (on the upload volume, so moving it into place is a rename). Every
 * failure removes the request's temporary files. Upload bytes in flight are capped per process (`budget`).
 */
export class UploadSpool {
  private bufferedBytes = 0;
  private peakBuffered = 0;
  private ready: Promise<unknown> | null = null;

  constructor(
    private readonly directory: string,
    private readonly limits: BodyLimits,
    readonly budget: UploadBudget,
    /** How long the whole body may take to arrive (UPLOAD_BODY_TIMEOUT_SECONDS). */
    private readonly bodyTimeoutMs = 30_000,
  ) {}

  /** Upload bytes held in this process's memory right now (written to temporary files, not yet flushed). */
  get heldBytes(): number {
    return this.bufferedBytes;
  }

  /** The most upload bytes ever held in memory at once by this process. */
  get peakHeldBytes(): number {
    return this.peakBuffered;
  }

  /** The largest multipart body that can be valid: every file at its limit, every field, their part headers. */
  get maxRequestBytes(): number {
    const { maxFiles, maxFileBytes } = this.limits;
    return maxFiles * (maxFileBytes + PART_OVERHEAD_BYTES) + MAX_FIELDS * (MAX_FIELD_BYTES + PART_OVERHEAD_BYTES);
  }

  /**
   * Reads the body. Nothing is reserved until file bytes arrive, and only after `admitFiles` (when given)
   * accepted the fields sent before the first file. Every way out (refusal, parser error, aborted connection,
   * body timeout) removes the temporary files and releases the reservation.
   */
  async read(request: IncomingMessage, admitFiles?: FileAdmission): Promise<SpooledBody> {
    const declared = request.headers['content-length'] === undefined ? 0 : Number(request.headers['content-length']);
    if (declared > this.maxRequestBytes) {
      throw new RefusalError(
        413,
        RefusalCode.BodyTooLarge,
        `an upload may be at most ${this.maxRequestBytes} bytes (${this.limits.maxFiles} files of ${this.limits.maxFileBytes} bytes)`,
      );
    }
    // A body that cannot fit is refused before it is sent; one that may fit reserves its bytes as they arrive.
    if (Math.min(declared, this.limits.maxFiles * this.limits.maxFileBytes) > this.budget.freeBytes) {
      throw capacityExceeded();
    }
    this.ready ??= mkdir(this.directory, { recursive: true });
    await this.ready;
    return this.parse(request, admitFiles);
  }

  private parse(request: IncomingMessage, admitFiles: FileAdmission | undefined): Promise<SpooledBody> {
    const { limits } = this;
    return new Promise<SpooledBody>((resolve, reject) => {
      let parser: ReturnType<typeof busboy>;
      try {
        parser = busboy({
          headers: request.headers,
          limits: {
            fileSize: limits.maxFileBytes + 1,
            files: limits.maxFiles,
            fields: MAX_FIELDS,
            fieldSize: MAX_FIELD_BYTES + 1,
            fieldNameSize: 100,
            parts: MAX_FIELDS + limits.maxFiles,
          },
        });
      } catch (error) {
        reject(
          new RefusalError(
            400,
            RefusalCode.MalformedBody,
            `multipart body could not be read: ${(error as Error).message}`,
          ),
        );
        return;
      }
      const reservation = this.budget.open();
      const fields: Record<string, unknown> = Object.create(null);
      // Files in the order they were sent, whatever order their writes finish in.
      const files: SpooledImage[] = [];
      let fileCount = 0;
      const temporary = new Set<string>();
      const writing = new Set<Promise<SpooledImage>>();
      const open = new Set<WriteStream>();
      const closed: Promise<unknown>[] = [];
      let fileBytes = 0;
      let settled = false;
      let parsed = false;

      // The budget is given back whatever the file system says: a temporary file that cannot be removed must
      // not hold upload capacity until a restart.
      const release = async () => {
        try {
          await Promise.all([...temporary].map(removeFile));
        } finally {
          temporary.clear();
          reservation.release();
        }
      };

      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(bodyTimer);
        request.unpipe(parser);
        // The rest of the body is discarded, never buffered; the reply closes the connection.
        request.resume();
        for (const stream of open) stream.destroy();
        // A temporary file is removed only once its stream is closed, or a late open would leave it behind.
        void Promise.allSettled(closed)
          .then(release)
          .then(
            () => reject(error),
            () => reject(error),
          );
      };

      const finish = () => {
        if (settled || !parsed || writing.size > 0) return;
        settled = true;
        clearTimeout(bodyTimer);
        resolve({ fields, files, release });
      };

      const bodyTimer = setTimeout(() => fail(bodyTimeout(this.bodyTimeoutMs)), this.bodyTimeoutMs);
      bodyTimer.unref();

      parser.on('field', (name, value, info) => {
        if (info.nameTruncated) return fail(limitError(RefusalCode.LimitFieldKey, limits, name));
        if (info.valueTruncated || value.length > MAX_FIELD_BYTES) {
          return fail(limitError(RefusalCode.LimitFieldValue, limits, name));
        }
        const previous = fields[name];
        fields[name] = previous === undefined ? value : [previous, value].flat();
      });
      parser.on('file', (field, stream) => {
        if (settled) {
          stream.resume();
          return;
        }
        if (fileCount === 0 && admitFiles) {
          try {
            admitFiles(fields);
          } catch (error) {
            stream.resume();
            return fail(error);
          }
        }
        const index = fileCount++;
        const done = this.spoolFile(field, stream, {
          open,
          closed,
          temporary,
          cancelled: () => settled,
          grow: (bytes) => {
            fileBytes += bytes;
            return reservation.growTo(fileBytes);
          },
        });
        writing.add(done);
        done.then(
          (image) => {
            writing.delete(done);
            files[index] = image;
            finish();
          },
          (error: unknown) => {
            writing.delete(done);
            fail(error);
          },
        );
      });
      parser.on('filesLimit', () => fail(limitError(RefusalCode.LimitFileCount, limits)));
      parser.on('fieldsLimit', () => fail(limitError(RefusalCode.LimitFieldCount, limits)));
      parser.on('partsLimit', () => fail(limitError(RefusalCode.LimitPartCount, limits)));
      parser.on('error', (error: Error) =>
        fail(new RefusalError(400, RefusalCode.MalformedBody, `multipart body could not be read: ${error.message}`)),
      );
      parser.on('close', () => {
        parsed = true;
        finish();
      });
      // A reset connection (an error, then close) is the client's doing, not a server failure.
      const aborted = () => fail(new RefusalError(400, RefusalCode.MalformedBody, 'the upload was aborted'));
      request.on('close', () => {
        if (!request.complete) aborted();
      });
      request.on('error', aborted);
      request.pipe(parser);
    });
  }

  /** Checks one file's type from its first bytes, then streams it to a temporary file, keeping its order. */
  private spoolFile(
    field: string,
    stream: Readable,
    request: {
      open: Set<WriteStream>;
      closed: Promise<unknown>[];
      temporary: Set<string>;
      cancelled: () => boolean;
      grow: (bytes: number) => boolean;
    },
  ): Promise<SpooledImage> {
    return new Promise<SpooledImage>((resolve, reject) => {
      let head: Buffer = Buffer.alloc(0);
      let kind: ImageKind | null = null;
      let output: WriteStream | null = null;
      let size = 0;
      let settled = false;
      const temporaryPath = path.join(this.directory, `${randomUUID()}.part`);

      const refuse = (error: unknown) => {
        if (settled) return;
        settled = true;
        stream.removeAllListeners('data');
        stream.resume();
        reject(error);
      };
      const notAnImage = () =>
        new RefusalError(
          415,
          RefusalCode.NotAnImage,
          `file in field "${field}" is not a JPEG, PNG, GIF or WebP image`,
          field,
        );

      const write = (chunk: Buffer) => {
        const target = output as WriteStream;
        const bytes = chunk.length;
        this.bufferedBytes += bytes;
        this.peakBuffered = Math.max(this.peakBuffered, this.bufferedBytes);
        const room = target.write(chunk, () => {
          this.bufferedBytes -= bytes;
        });
        if (!room) {
          stream.pause();
          target.once('drain', () => stream.resume());
        }
      };

      const startWriting = () => {
        // Once the request failed, its files are being removed: no new one may be created.
        if (request.cancelled()) return refuse(new Error('the upload was refused'));
        output = createWriteStream(temporaryPath, { flags: 'wx' });
        request.open.add(output);
        const target = output;
        request.closed.push(new Promise<void>((settle) => target.once('close', () => settle())));
        request.temporary.add(temporaryPath);
        output.on('error', refuse);
        // Destroyed before it finished (the request failed): the end callback is never called.
        output.on('close', () => refuse(new Error('the upload was refused')));
        write(head);
      };

      stream.on('data', (chunk: Buffer) => {
        if (settled) return;
        size += chunk.length;
        if (size > this.limits.maxFileBytes) return refuse(limitError(RefusalCode.LimitFileSize, this.limits, field));
        if (!request.grow(chunk.length)) return refuse(capacityExceeded());
        if (kind) return write(chunk);
        head = Buffer.concat([head, chunk]);
        if (head.length < SNIFF_BYTES) return;
        kind = sniffImage(head);
        if (!kind) return refuse(notAnImage());
        startWriting();
      });
      stream.on('limit', () => refuse(limitError(RefusalCode.LimitFileSize, this.limits, field)));
      stream.on('error', refuse);
      stream.on('end', () => {
        if (settled) return;
        if (!kind) {
          kind = sniffImage(head);
          if (!kind) return refuse(notAnImage());
          startWriting();
        }
        const target = output as WriteStream | null;
        if (!target) return;
        const image: SpooledImage = { field, kind, path: temporaryPath, size };
        target.end(() => {
          request.open.delete(target);
          if (settled) return;
          settled = true;
          resolve(image);
        });
      });
    });
  }
}

function bodyTimeout(timeoutMs: number): RefusalError {
  return new RefusalError(
    408,
    RefusalCode.BodyTimeout,
    `the upload body did not arrive within ${timeoutMs / 1000} s; send it faster or in smaller uploads`,
  );
}

export function capacityExceeded(): RefusalError {
  return new RefusalError(
    503,
    RefusalCode.UploadCapacityExceeded,
    `the server is receiving as many upload bytes as it allows at once; retry in ${CAPACITY_RETRY_AFTER_SECONDS} s`,
    undefined,
    { 'retry-after': String(CAPACITY_RETRY_AFTER_SECONDS) },
  );
}
