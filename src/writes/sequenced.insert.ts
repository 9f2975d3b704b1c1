import type { Types } from 'mongoose';
import { logCollection, type Models } from '../models/models.js';
import type { PositionLease } from '../models/position.leases.js';
import { type LogName, tombstone } from '../models/stream.positions.js';
import { insertUnordered } from '../models/unordered.insert.js';

const MAX_ROUNDS = 20;

/**
 * Stores documents at new positions of a log (src/models/stream.positions.ts) and returns the indexes of those
 * whose `_id` was stored already (repeats: the caller decides what they are). Their positions get tombstones.
 * A document refused because its position was taken (a reader gave the position up after the abandon time)
 * is stored at a new position: it is never lost, only later in the log. The blocks are closed once each of
 * their positions holds a document; if storing fails they stay open and readers settle them after the
 * abandon time. Positions come from the instance's leases (src/models/position.leases.ts). Neither MongoDB nor FerretDB says which unique index refused a document, so an `_id` lookup
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
  const leases: PositionLease[] = [];
  let pending = docs.map((_doc, index) => index);
  try {
    for (let round = 0; pending.length > 0; round += 1) {
      if (round >= MAX_ROUNDS) throw new Error(`could not store ${log} at free positions after ${MAX_ROUNDS} rounds`);
      const lease = await models.leases.take(log, pending.length);
      leases.push(lease);
      pending.forEach((index, at) => {
        const doc = docs[index] as Doc;
        doc.seq = lease.positions[at] as number;
        doc.settled_seq = lease.settledBefore;
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
  } catch (error) {
    // The last lease may have positions without documents: readers settle them after the abandon time.
    leases.forEach((lease, at) => {
      lease.release(at < leases.length - 1);
    });
    throw error;
  }
  for (const index of repeats) {
    delete (docs[index] as Doc).seq;
    delete (docs[index] as Doc).settled_seq;
  }
  for (const lease of leases) lease.release(true);
  return repeats;
}
