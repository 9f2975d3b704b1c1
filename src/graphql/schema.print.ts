import { printSchema } from 'graphql';
import { LocalEventBus } from '../events/local.event-bus.js';
import { eventBusPubSub } from '../events/type-graphql.pubsub.js';
import { buildAppSchema } from './schema.build.js';

export const SCHEMA_FILE = 'schema/schema.graphql';

const HEADER =
  '# Generated from the resolvers by `npm run schema:generate`; do not edit. A test fails when it is stale.\n\n';

/** The SDL partners integrate against, exactly as checked in. */
export async function printAppSchema(): Promise<string> {
  const schema = await buildAppSchema(eventBusPubSub(new LocalEventBus(), 1));
  return `${HEADER}${printSchema(schema)}\n`;
}
