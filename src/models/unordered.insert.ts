import { duplicateIndexesOf } from './storage.errors.js';

/** Any collection, as far as an unordered insert needs it. */
interface InsertTarget {
  insertMany(docs: never[], options: { ordered: false }): Promise<unknown>;
}

/**
 * Inserts unordered and returns the indexes of the documents refused as duplicates (of any unique index); the
 * others are stored. Any other failure (including a bulk failure without per-document errors) is thrown.
 */
export async function insertUnordered(collection: InsertTarget, docs: readonly object[]): Promise<number[]> {
  try {
    await collection.insertMany(docs as never[], { ordered: false });
    return [];
  } catch (error) {
    const duplicates = duplicateIndexesOf(error);
    if (!duplicates) throw error;
    return duplicates;
  }
}
