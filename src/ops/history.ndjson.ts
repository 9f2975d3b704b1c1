import { once } from 'node:events';
import { createInterface } from 'node:readline';
import mongoose, { Types } from 'mongoose';
import { ambulanceIdFilter } from '../models/ambulance-id.filter.js';
import type { RawCollection } from '../models/models.js';
import type { TrackingDoc } from '../models/tracking.model.js';

const { EJSON } = mongoose.mongo.BSON;
const IMPORT_BATCH = 1000;
const DUPLICATE_KEY = 11000;

/** One ambulance's points, `from` and `to` inclusive (as the GraphQL history queries). */
export interface HistoryRange {
  readonly ambulanceId: string;
  readonly from?: Date;
  readonly to?: Date;
}

export class HistoryFormatError extends Error {
  override readonly name = 'HistoryFormatError';
}

export function historyFilter(range: HistoryRange): mongoose.mongo.Filter<TrackingDoc> {
  const filter: mongoose.mongo.Filter<TrackingDoc> = { ambulance_id: ambulanceIdFilter(range.ambulanceId) };
  if (range.from || range.to) {
    filter.count_datetime = { ...(range.from ? { $gte: range.from } : {}), ...(range.to ? { $lte: range.to } : {}) };
  }
  return filter;
}

/**
 * Writes the points as NDJSON, oldest first: one document per line in MongoDB Extended JSON (relaxed), so
 * ObjectIds and dates survive the round trip and every stored field, legacy ones included, is kept.
 */
export async function exportHistory(
  trackings: RawCollection<TrackingDoc>,
  range: HistoryRange,
  output: NodeJS.WritableStream,
): Promise<number> {
  let count = 0;
  const cursor = trackings.find(historyFilter(range)).sort({ count_datetime: 1, _id: 1 });
  for await (const doc of cursor) {
    count += 1;
    if (!output.write(`${EJSON.stringify(doc, { relaxed: true })}\n`)) await once(output, 'drain');
  }
  return count;
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** One exported line back into a tracking document; says what is wrong, and where, otherwise. */
export function parseHistoryLine(line: string, lineNumber: number): TrackingDoc {
  let value: unknown;
  try {
    value = EJSON.parse(line, { relaxed: true });
  } catch (error) {
    const hint = line.startsWith('>') ? ' (written by "npm run" without -s? its banner is not history)' : '';
    throw new HistoryFormatError(`line ${lineNumber}: not JSON${hint}: ${(error as Error).message}`);
  }
  const doc = value as Partial<TrackingDoc> | null;
  const problems: string[] = [];
  if (!(doc?._id instanceof Types.ObjectId)) problems.push('_id must be an ObjectId ({"$oid": …})');
  if (!(typeof doc?.ambulance_id === 'string' || doc?.ambulance_id instanceof Types.ObjectId)) {
    problems.push('ambulance_id must be a string or an ObjectId');
  }
  if (!(doc?.count_datetime instanceof Date) || Number.isNaN(doc.count_datetime.getTime())) {
    problems.push('count_datetime must be a date ({"$date": …})');
  }
  if (!isNumber(doc?.location?.lat) || !isNumber(doc?.location?.lon)) {
    problems.push('location must have numeric lat and lon');
  }
  if (problems.length > 0) throw new HistoryFormatError(`line ${lineNumber}: ${problems.join('; ')}`);
  // A position in the exporting server's tracking log means nothing here (and would collide with this log's).
  const { seq: _seq, ...point } = doc as TrackingDoc;
  return point as TrackingDoc;
}

export interface ImportResult {
  readonly inserted: number;
  readonly alreadyPresent: number;
}

async function insertBatch(trackings: RawCollection<TrackingDoc>, docs: TrackingDoc[]): Promise<ImportResult> {
  try {
    const result = await trackings.insertMany(docs, { ordered: false });
    return { inserted: result.insertedCount, alreadyPresent: 0 };
  } catch (error) {
    if (!(error instanceof mongoose.mongo.MongoBulkWriteError)) throw error;
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    if (writeErrors.length === 0 || writeErrors.some((writeError) => writeError.code !== DUPLICATE_KEY)) throw error;
    return { inserted: error.insertedCount, alreadyPresent: writeErrors.length };
  }
}

/**
 * Reads NDJSON written by exportHistory and inserts the points, keeping their `_id`s: importing the same
 * file twice (or an overlapping one) stores each point once. Stops at the first malformed line, after
 * storing the lines before it; fix the line and run again (already imported points are skipped).
 */
export async function importHistory(
  trackings: RawCollection<TrackingDoc>,
  input: NodeJS.ReadableStream,
): Promise<ImportResult> {
  let inserted = 0;
  let alreadyPresent = 0;
  let batch: TrackingDoc[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await insertBatch(trackings, batch);
    inserted += result.inserted;
    alreadyPresent += result.alreadyPresent;
    batch = [];
  };
  let lineNumber = 0;
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let doc: TrackingDoc;
    try {
      doc = parseHistoryLine(line, lineNumber);
    } catch (error) {
      await flush();
      throw error;
    }
    batch.push(doc);
    if (batch.length >= IMPORT_BATCH) await flush();
  }
  await flush();
  return { inserted, alreadyPresent };
}
