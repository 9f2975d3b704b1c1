import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { parse, validate } from 'graphql';
import { Types } from 'mongoose';
import { buildAppSchema } from '../src/graphql/schema.build.js';
import type { AmbulanceDoc } from '../src/models/ambulance.model.js';
import { bearer, mintToken, startSecuredTestApp } from './helpers/auth.helpers.js';
import { type GraphQLResponse, graphqlRequest } from './helpers/graphql.client.js';
import { inBatches } from './helpers/graphql.helpers.js';
import { ENDPOINTS, postFields, trackingFields } from './helpers/http.client.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const MADE_UP = 300;
const DEFAULT_PAGE = 40;
const MAX_PAGE = 120;
const FIELDS = 'id cursor lastPosition { id speed }';

interface Row {
  id: string;
  cursor: string;
  lastPosition: { id: string; speed: number | null } | null;
}

async function costOf(source: string): Promise<number> {
  const schema = await buildAppSchema();
  let cost = Number.NaN;
  validate(schema, parse(source), [
    costLimitRule({ maxCost: 1e12, onAccept: [(_context, details) => (cost = details.n)] }),
  ]);
  return cost;
}

describe('the fleet list with many made-up ambulance ids', () => {
  let app: TestApp;
  const legacyId = new Types.ObjectId();
  let expected: string[];

  const fleet = (args = '', variables: Record<string, unknown> = {}) =>
    graphqlRequest<{ ambulances: Row[] }>(
      app.graphqlUrl,
      `query${args.includes('$after') ? '($after: String)' : ''} { ambulances${args} { ${FIELDS} } }`,
      variables,
    );

  before(async () => {
    const maxCost = Math.ceil(await costOf(`{ ambulances(first: ${MAX_PAGE}) { ${FIELDS} } }`));
    app = await startTestApp({
      env: {
        HISTORY_DEFAULT_PAGE_SIZE: String(DEFAULT_PAGE),
        HISTORY_MAX_PAGE_SIZE: String(MAX_PAGE),
        GRAPHQL_MAX_COST: String(maxCost),
        INGEST_NEW_AMBULANCES_PER_ADDRESS_PER_HOUR: '0',
      },
    });
    // Anyone may post: each made-up id becomes a fleet document.
    const ids = Array.from({ length: MADE_UP }, (_, n) => `FAKE${n}`);
    await inBatches(ids.length, 20, async (index) => {
      const result = await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields(ids[index] as string, 40));
      assert.equal(result.status, 200, result.text);
    });
    await app.app.trackingWriter.drained();
    await app.app.models.collections.ambulances.insertOne({ _id: legacyId, name: 'Legacy' } as AmbulanceDoc);
    // Stored id order: strings by code point, then legacy ObjectIds.
    expected = [...[...ids].sort(), legacyId.toHexString()];
  });
  after(() => app.close());

  it('answers a read without arguments with the first page only (the default page size)', async () => {
    const response = await fleet();
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const rows = response.data?.ambulances ?? [];
    assert.equal(rows.length, DEFAULT_PAGE);
    assert.deepEqual(
      rows.map((row) => row.id),
      expected.slice(0, DEFAULT_PAGE),
    );
    assert.equal(rows[0]?.lastPosition?.speed, 40);
  });

  it('pages through every ambulance exactly once, in id order, with `first` and `after`', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const response = await fleet('(first: 120, after: $after)', { after: cursor });
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      const rows = response.data?.ambulances ?? [];
      assert.ok(rows.length <= MAX_PAGE);
      seen.push(...rows.map((row) => row.id));
      if (rows.length < MAX_PAGE) break;
      cursor = rows.at(-1)?.cursor ?? null;
    }
    assert.deepEqual(seen, expected);
  });

  it('refuses a page larger than the maximum, and a cursor it did not issue', async () => {
    const tooLarge = await fleet(`(first: ${MAX_PAGE + 1})`);
    assert.equal(tooLarge.data, undefined);
    assert.equal(tooLarge.errors?.[0]?.extensions?.limit, 'MAX_COST', JSON.stringify(tooLarge.errors));
    const none = await fleet('(first: 0)');
    assert.equal(none.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(none.errors));
    assert.match(none.errors?.[0]?.message ?? '', new RegExp(`between 1 and ${MAX_PAGE}`));
    const forged = await fleet('(after: $after)', { after: 'not-a-cursor' });
    assert.equal(forged.errors?.[0]?.extensions?.code, 'INVALID_CURSOR', JSON.stringify(forged.errors));
  });

  it('counts a fleet read without `first` as its default page in the cost limit, so aliases cannot multiply it', async () => {
    const aliases = (count: number) =>
      `{ ${Array.from({ length: count }, (_, n) => `a${n}: ambulances { ${FIELDS} }`).join(' ')} }`;
    const inside = await graphqlRequest(app.graphqlUrl, aliases(MAX_PAGE / DEFAULT_PAGE));
    assert.equal(inside.errors, undefined, JSON.stringify(inside.errors));
    const over = await graphqlRequest(app.graphqlUrl, aliases(MAX_PAGE / DEFAULT_PAGE + 1));
    assert.equal(over.status, 400);
    assert.equal(over.errors?.[0]?.extensions?.limit, 'MAX_COST', JSON.stringify(over.errors));
    const unsetVariable = await graphqlRequest(
      app.graphqlUrl,
      `query($n: Int) { ${Array.from({ length: 4 }, (_, n) => `a${n}: ambulances(first: $n) { ${FIELDS} }`).join(' ')} }`,
    );
    assert.equal(unsetVariable.errors?.[0]?.extensions?.limit, 'MAX_COST', JSON.stringify(unsetVariable.errors));
  });
});

describe('fleet pages within a token scope', () => {
  let app: TestApp;
  const legacyId = new Types.ObjectId();
  before(async () => {
    app = await startSecuredTestApp({ events: 'local' });
    await app.app.models.collections.ambulances.insertMany([
      { _id: 'S1' },
      { _id: 'S2' },
      { _id: 'S3' },
      { _id: 'S4' },
      { _id: legacyId },
    ] as AmbulanceDoc[]);
  });
  after(() => app.close());

  it('pages through only the ambulances the token lists, legacy ids included', async () => {
    const token = await mintToken('partner', { ambulances: ['S4', 'S1', legacyId.toHexString()] });
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const response: GraphQLResponse<{ ambulances: Row[] }> = await graphqlRequest(
        app.graphqlUrl,
        `query($after: String) { ambulances(first: 2, after: $after) { ${FIELDS} } }`,
        { after: cursor },
        bearer(token),
      );
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      const rows = response.data?.ambulances ?? [];
      seen.push(...rows.map((row) => row.id));
      if (rows.length < 2) break;
      cursor = rows.at(-1)?.cursor ?? null;
    }
    assert.deepEqual(seen, ['S1', 'S4', legacyId.toHexString()]);
  });
});
