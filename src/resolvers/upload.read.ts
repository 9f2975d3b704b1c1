import type { FileUpload } from 'graphql-upload-minimal';
import { RefusalError } from '../domain/refusal.error.js';
import { RefusalCode } from '../errors/error.codes.js';
import { badInput } from '../errors/graphql.errors.js';
import type { UploadReservation } from '../uploads/upload.budget.js';
import { capacityExceeded } from '../uploads/upload.spool.js';
import type { UploadedImage } from '../writes/snapshot.service.js';

/**
 * Reads one GraphQL multipart upload into memory, counting its bytes against the request's share of the
 * process's upload budget (the caller releases it once the files are stored or refused).
 * graphql-upload-minimal enforces the size limit, but when the limit is reached after reading began, the
 * parser just ends the stream early (marking it `truncated`) instead of failing it; such a file is refused
 * here rather than stored cut short.
 */
export async function readUpload(
  upload: Promise<FileUpload> | FileUpload,
  index: number,
  reservation: UploadReservation,
  alreadyRead: number,
): Promise<UploadedImage & { readonly data: Buffer }> {
  const file = await awaitUpload(upload, index);
  const chunks: Buffer[] = [];
  let read = alreadyRead;
  let truncated = false;
  try {
    const stream = file.createReadStream();
    stream.once('limit', () => {
      truncated = true;
    });
    for await (const chunk of stream) {
      read += (chunk as Buffer).length;
      if (!reservation.growTo(read)) {
        stream.destroy();
        throw capacityExceeded();
      }
      chunks.push(chunk as Buffer);
    }
    truncated ||= (stream as { truncated?: boolean }).truncated === true;
  } catch (error) {
    if (error instanceof RefusalError) throw error;
    throw new RefusalError(
      413,
      RefusalCode.FileTooLarge,
      `files.${index} could not be read: ${(error as Error).message}`,
      `files.${index}`,
    );
  }
  if (truncated) {
    throw new RefusalError(
      413,
      RefusalCode.FileTooLarge,
      `files.${index} exceeds the upload size limit`,
      `files.${index}`,
    );
  }
  return { field: `files.${index}`, data: Buffer.concat(chunks) };
}

/**
 * The file an entry of `files` names. graphql-upload-minimal rejects it with an HTTP error when the request
 * cannot provide it (the map names a file part that was never sent, or the parser stopped at a limit): the
 * client's mistake, answered as such rather than as an internal error.
 */
async function awaitUpload(upload: Promise<FileUpload> | FileUpload, index: number): Promise<FileUpload> {
  try {
    return await upload;
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (typeof status !== 'number' || status < 400 || status >= 500) throw error;
    const reason = (error as Error).message;
    if (status === 413)
      throw new RefusalError(413, RefusalCode.FileTooLarge, `files.${index}: ${reason}`, `files.${index}`);
    throw badInput(`files.${index}`, `could not be read: ${reason}`);
  }
}
