import type { CreateIndexesOptions, IndexSpecification } from 'mongodb';
import type { Collection, Schema } from 'mongoose';

/**
 * How the store answers a filter on a field other than `_id`: MongoDB through the indexes; FerretDB v1 on SQLite by
 * evaluating it on every document (its explain says so: `filterPushdown: false`, a SCAN plan), whatever indexes exist.
 */
export type FilterEvaluation = 'through-indexes' | 'document-by-document';

type DeclaredIndex = ReturnType<Schema['indexes']>[number];

/** A model, as far as creating its indexes goes. */
interface IndexedModel {
  readonly schema: { indexes(): DeclaredIndex[] };
  readonly collection: {
    createIndex(fields: IndexSpecification, options: CreateIndexesOptions): Promise<unknown>;
  };
}

/** What an explain answered, as far as `filterPushdown` goes (FerretDB's field; MongoDB has none). */
export function filterEvaluationOf(explained: { readonly filterPushdown?: unknown }): FilterEvaluation {
  return explained.filterPushdown === false ? 'document-by-document' : 'through-indexes';
}

/**
 * Asks the store, with an explain of a filter on an ordinary field, how it evaluates such filters. If the explain
 * fails, the store is taken to use its indexes (every declared index is created then: the safe side).
 */
export async function filterEvaluationIn(
  collection: Pick<Collection, 'find'>,
  onFailure: (error: Error) => void,
): Promise<FilterEvaluation> {
  try {
    return filterEvaluationOf(await collection.find({ ambulance_id: '' }).limit(1).explain());
  } catch (error) {
    onFailure(error as Error);
    return 'through-indexes';
  }
}

/**
 * The declared indexes a store gets: all of them where filters go through indexes. Where every filter is evaluated
 * document by document (FerretDB v1 on SQLite), an index is worth only its uniqueness; the others would be written
 * on every insert (~17 % of a point insert's round trip, measured) and never read.
 */
export function indexesFor(declared: readonly DeclaredIndex[], evaluation: FilterEvaluation): DeclaredIndex[] {
  return evaluation === 'document-by-document'
    ? declared.filter(([, options]) => options.unique === true)
    : [...declared];
}

/**
 * Creates each model's declared indexes that the store reads, one after another per collection, every one attempted
 * even when another fails (the first failure is thrown at the end); existing ones are left as they are. The schemas
 * declare plain keys and options (no collation, write concern or discriminators), so the driver's `createIndex`
 * gets them as they are.
 */
export async function createStoreIndexes(models: readonly IndexedModel[], evaluation: FilterEvaluation): Promise<void> {
  const failures: unknown[] = [];
  await Promise.all(
    models.map(async (model) => {
      for (const [fields, options] of indexesFor(model.schema.indexes(), evaluation)) {
        try {
          await model.collection.createIndex(fields as IndexSpecification, options as CreateIndexesOptions);
        } catch (error) {
          failures.push(error);
        }
      }
    }),
  );
  if (failures.length > 0) throw failures[0];
}
