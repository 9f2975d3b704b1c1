import type { FileUpload } from 'graphql-upload-minimal';
import { IngestError } from '../ingest/ingest.errors.js';
import type { UploadedImage } from '../ingest/snapshot.service.js';

/** Reads one GraphQL multipart upload into memory; graphql-upload-minimal enforces the size limit. */
export async function readUpload(upload: Promise<FileUpload> | FileUpload, index: number): Promise<UploadedImage> {
  const file = await upload;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of file.createReadStream()) chunks.push(chunk as Buffer);
  } catch (error) {
    throw new IngestError(
      413,
      'FILE_TOO_LARGE',
      `files.${index} could not be read: ${(error as Error).message}`,
      `files.${index}`,
    );
  }
  return { field: `files.${index}`, data: Buffer.concat(chunks) };
}
