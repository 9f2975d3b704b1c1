import type { Types } from 'mongoose';
import { logCollection, type Models } from '../models/models.js';
import { duplicateIndexesOf } from '../models/storage.errors.js';
import { type LogName, type OpenBlock, type SequencedCollection, tombstone } from '../models/stream.positions.js';

const MAX_ROUNDS = 20;

/** Inserts unordered; returns the indexes of the documents refused as duplicates (of `_id` or of `seq`). */
async function insertUnordered(collection: SequencedCollection, docs: readonly object[]): Promise<number[]> {
  try {
    await collection.insertMany(docs as never[], { ordered: false });
    return [];
  } catch (error) {
    const duplicates = duplicateIndexesOf(error);
    if (!duplicates) throw error;
    return duplicates;
  }
}

/**
 * Stores documents at new positions of a log (src/models/stream.positions.ts) and returns the indexes of those
 * whose `_id` was stored already (repeats: the caller decides what they are). Their positions get tombstones.
 * A document refused because its position was taken (a reader gave the position up after the abandon time)
 * is stored at a new position: it is never lost, only later in the log. The blocks are closed once each of
 * their positions holds a document; if storing fails they stay open and readers settle them after the
 * abandon time. Neither MongoDB nor FerretDB says which unique index refused a document, so an `_id` lookup
 * (cheap on both) tells repeats from taken positions.
 */
export async function insertSequenced<Doc extends { _id: Types.ObjectId; seq?: number; settled_seq?: number }>(
  models: Models,
  log: LogName,
  docs: Doc[],
): Promise<number[]> {
  if (docs.length === 0) return [];
  const collection = logCollection(models, log);
  const repeats: number[] = [];
  const blocks: OpenBlock[] = [];
  let pending = docs.map((_doc, index) => index);
  for (let round = 0; pending.length > 0; round += 1) {
    if (round >= MAX_ROUNDS) throw new Error(`could not store ${log} at free positions after ${MAX_ROUNDS} rounds`);
    const block = await models.positions.allocate(log, pending.length);
    blocks.push(block);
    pending.forEach((index, at) => {
      const doc = docs[index] as Doc;
      doc.seq = block.from + at;
      doc.settled_seq = block.settledBefore;
    });
    const refused = (
      await insertUnordered(
        collection,
        pending.map((index) => docs[index] as Doc),
      )
    ).map((at) => pending[at] as number);
    if (refused.length === 0) break;
    const stored = await collection
      .find({ _id: { $in: refused.map((index) => (docs[index] as Doc)._id) } }, { projection: { _id: 1 } })
      .toArray();
    const storedIds = new Set(stored.map((doc) => String(doc._id)));
    const repeated = refused.filter((index) => storedIds.has(String((docs[index] as Doc)._id)));
    repeats.push(...repeated);
    await tombstone(
      collection,
      repeated.map((index) => (docs[index] as Doc).seq as number),
    );
    pending = refused.filter((index) => !storedIds.has(String((docs[index] as Doc)._id)));
  }
  for (const index of repeats) {
    delete (docs[index] as Doc).seq;
    delete (docs[index] as Doc).settled_seq;
  }
  for (const block of blocks) {
    models.positions.close(log, block).catch(() => {
      // Left open, the block is settled by a reader after the abandon time: every position holds a document.
    });
  }
  return repeats;
}
