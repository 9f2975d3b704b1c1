import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getMetadataStorage } from 'type-graphql';
import { LocalEventBus } from '../events/local.event-bus.js';
import { eventBusPubSub } from '../events/type-graphql.pubsub.js';
import { buildAppSchema } from './schema.build.js';

describe('authorization of the schema', () => {
  it('puts @Authorized(roles) on every query, mutation and subscription, and lets partners mutate nothing', async () => {
    const schema = await buildAppSchema(eventBusPubSub(new LocalEventBus(), 1));
    const storage = getMetadataStorage();
    const rolesOf = (target: unknown, name: string) =>
      storage.authorizedFields.find((field) => field.target === target && field.fieldName === name)?.roles;
    const rootFields = [
      ...storage.queries.map((field) => ({ kind: 'Query', field })),
      ...storage.mutations.map((field) => ({ kind: 'Mutation', field })),
      ...storage.subscriptions.map((field) => ({ kind: 'Subscription', field })),
    ];
    const schemaFieldCount =
      Object.keys(schema.getQueryType()?.getFields() ?? {}).length +
      Object.keys(schema.getMutationType()?.getFields() ?? {}).length +
      Object.keys(schema.getSubscriptionType()?.getFields() ?? {}).length;
    assert.equal(rootFields.length, schemaFieldCount);
    for (const { kind, field } of rootFields) {
      const roles = rolesOf(field.target, field.methodName);
      assert.ok(roles && roles.length > 0, `${kind}.${field.schemaName} has no @Authorized(roles)`);
      if (kind === 'Mutation') assert.ok(!roles.includes('partner'), `partners may not use ${field.schemaName}`);
      else assert.ok(!roles.includes('device'), `devices may not read through ${kind}.${field.schemaName}`);
    }
  });
});
