import type { CreateIndexesOptions, IndexSpecification } from 'mongodb';
import type { Connection, Schema } from 'mongoose';

/** The kind of database behind the connection, as far as indexes go. */
export type IndexingStore = 'mongodb' | 'ferretdb-v1';

type DeclaredIndex = ReturnType<Schema['indexes']>[number];

/** FerretDB names its version in `buildInfo`; any other server is taken for MongoDB. */
export async function indexingStoreOf(connection: Connection): Promise<IndexingStore> {
  const db = connection.db;
  if (!db) throw new Error('the database connection is not open yet');
  const info = await db.admin().command({ buildInfo: 1 });
  const ferretdb = info.ferretdbVersion;
  return typeof ferretdb === 'string' && ferretdb.startsWith('v1.') ? 'ferretdb-v1' : 'mongodb';
}

/**
 * The declared indexes a store gets: all of them on MongoDB. FerretDB v1 evaluates every filter and sort other
 * than on `_id` document by document (its explain says SCAN, no pushdown), so there an index is worth only its
 * uniqueness: the others would be written on every insert (~17 % of a point insert's round trip, measured) and
 * never read.
 */
export function indexesFor(declared: readonly DeclaredIndex[], store: IndexingStore): DeclaredIndex[] {
  return store === 'ferretdb-v1' ? declared.filter(([, options]) => options.unique === true) : [...declared];
}

/** A model, as far as creating its indexes goes. */
interface IndexedModel {
  readonly schema: { indexes(): DeclaredIndex[] };
  readonly collection: {
    createIndex(fields: IndexSpecification, options: CreateIndexesOptions): Promise<unknown>;
  };
}

/** Creates each model's declared indexes that the store uses (existing ones are left as they are). */
export async function createStoreIndexes(models: readonly IndexedModel[], store: IndexingStore): Promise<void> {
  await Promise.all(
    models.map(async (model) => {
      for (const [fields, options] of indexesFor(model.schema.indexes(), store)) {
        await model.collection.createIndex(fields as IndexSpecification, options as CreateIndexesOptions);
      }
    }),
  );
}
