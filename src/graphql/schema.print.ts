import { printSchema } from 'graphql';
import { buildAppSchema } from './schema.build.js';

export const SCHEMA_FILE = 'schema/schema.graphql';

const HEADER =
  '# Generated from the resolvers by `npm run schema:generate`; do not edit. A test fails when it is stale.\n\n';

/** The SDL partners integrate against, exactly as checked in. */
export async function printAppSchema(): Promise<string> {
  const schema = await buildAppSchema();
  return `${HEADER}${printSchema(schema)}\n`;
}
