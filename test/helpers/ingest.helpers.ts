import assert from 'node:assert/strict';
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { HttpResult } from './http.client.js';
import type { TestApp } from './test-app.js';

/** Document counts of every collection the ingest endpoints write, plus the files under the upload directory. */
export interface StoredState {
  readonly trackings: number;
  readonly crashes: number;
  readonly imageRecords: number;
  readonly imageHistories: number;
  readonly ambulances: number;
  readonly speedingEpisodes: number;
  readonly files: string[];
}

/** Every regular file under `directory`, as sorted paths relative to it with forward slashes. */
export async function listFiles(directory: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(directory, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

export async function storedState(app: TestApp): Promise<StoredState> {
  // Fleet and episode documents are projected just after points are stored; count them once settled.
  await app.app.trackingWriter.drained();
  const c = app.app.models.collections;
  const [trackings, crashes, imageRecords, imageHistories, ambulances, speedingEpisodes, files] = await Promise.all([
    c.trackings.countDocuments({}),
    c.crashes.countDocuments({}),
    c.imageRecords.countDocuments({}),
    c.imageHistories.countDocuments({}),
    c.ambulances.countDocuments({}),
    c.speedingEpisodes.countDocuments({}),
    listFiles(app.uploadDir),
  ]);
  return { trackings, crashes, imageRecords, imageHistories, ambulances, speedingEpisodes, files };
}

export async function readUploadedFile(app: TestApp, relativePath: string): Promise<Buffer> {
  return readFile(path.join(app.uploadDir, ...relativePath.split('/')));
}

/** Asserts a refusal in the ingest error shape: `{ success: false, error, code, field? }`. */
export function assertRefused(
  result: HttpResult,
  expected: { status: number; code?: string; field?: string },
  label = '',
): void {
  const context = `${label} -> ${result.status} ${result.text}`;
  assert.equal(result.status, expected.status, context);
  assert.match(result.headers.get('content-type') ?? '', /application\/json/, context);
  const body = result.body as Record<string, unknown>;
  assert.equal(typeof body, 'object', context);
  assert.equal(body.success, false, context);
  assert.equal(typeof body.error, 'string', context);
  assert.ok((body.error as string).length > 0, context);
  assert.equal(typeof body.code, 'string', context);
  if (expected.code !== undefined) assert.equal(body.code, expected.code, context);
  if (expected.field !== undefined) {
    assert.equal(body.field, expected.field, context);
    if (body.code === 'INVALID_FIELD') {
      assert.ok((body.error as string).includes(expected.field), `error message should name the field: ${context}`);
    }
  }
}

/** A multipart body built by hand from fields and files, in the given order. */
export function multipartForm(
  entries: Array<
    { name: string; value: string } | { name: string; data: Uint8Array; filename?: string; type?: string }
  >,
): FormData {
  const form = new FormData();
  for (const entry of entries) {
    if ('value' in entry) form.append(entry.name, entry.value);
    else
      form.append(
        entry.name,
        new Blob([entry.data], { type: entry.type ?? 'image/png' }),
        entry.filename ?? 'image.png',
      );
  }
  return form;
}
