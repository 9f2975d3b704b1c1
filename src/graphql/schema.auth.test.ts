import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rolesOfRootFields } from '../auth/root-field.roles.js';
import { buildAppSchema } from './schema.build.js';

describe('authorization of the schema', () => {
  it('puts @Authorized(roles) on every query, mutation and subscription, and lets partners mutate nothing', async () => {
    const schema = await buildAppSchema();
    const roles = rolesOfRootFields();
    const rootTypes = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
    let rootFieldCount = 0;
    for (const type of rootTypes) {
      for (const name of Object.keys(type?.getFields() ?? {})) {
        rootFieldCount += 1;
        const kind = type?.name;
        const allowed = roles.get(`${kind}.${name}`);
        assert.ok(allowed && allowed.length > 0, `${kind}.${name} has no @Authorized(roles)`);
        if (kind === 'Mutation') assert.ok(!allowed.includes('partner'), `partners may not use ${name}`);
        else assert.ok(!allowed.includes('device'), `devices may not read through ${kind}.${name}`);
      }
    }
    assert.equal(roles.size, rootFieldCount);
  });
});
