import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { type GraphQLSchema, parse, validate } from 'graphql';
import { buildAppSchema } from '../src/graphql/schema.build.js';
import { graphqlRequest, subscribe, wsClient } from './helpers/graphql.client.js';
import { startTestApp, type TestApp, waitForSubscribers } from './helpers/test-app.js';

const MAX_DEPTH = 4;
const MAX_ALIASES = 2;
const MAX_DIRECTIVES = 2;
const MAX_TOKENS = 40;

function tokensOf(source: string): number {
  for (let limit = 1; ; limit += 1) {
    try {
      parse(source, { maxTokens: limit });
      return limit;
    } catch {
      // more tokens than `limit`
    }
  }
}

function costOf(schema: GraphQLSchema, source: string): number {
  let cost = Number.NaN;
  validate(schema, parse(source), [
    costLimitRule({ maxCost: 1e12, onAccept: [(_context, details) => (cost = details.n)] }),
  ]);
  return cost;
}

/** `count` repeated `id` fields: each adds one token and some cost without changing anything else. */
const ids = (count: number) => Array.from({ length: count }, () => 'id').join(' ');
const query = (fields: string) => `{ ambulances { ${fields} } }`;
const subscription = (fields: string) => `subscription { trackingUpdated { ${fields} } }`;
/** The document of `build(ids(n))` with exactly `target` tokens. */
function withTokens(build: (fields: string) => string, target: number): string {
  const base = tokensOf(build(ids(1))) - 1;
  const source = build(ids(target - base));
  assert.equal(tokensOf(source), target);
  return source;
}

interface Case {
  readonly limit: string;
  readonly env: Record<string, string>;
  readonly http: { readonly inside: string; readonly over: string };
  readonly ws: { readonly inside: string; readonly over: string };
}

type GraphQLErrorJson = { message: string; extensions?: Record<string, unknown> };

function assertRefusal(limit: string, error: GraphQLErrorJson | undefined, context: string): void {
  if (limit === 'MAX_TOKENS') {
    assert.equal(error?.extensions?.code, 'GRAPHQL_PARSE_FAILED', context);
    assert.match(error?.message ?? '', new RegExp(`more tha[nt] ${MAX_TOKENS} tokens`), context);
  } else {
    assert.equal(error?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED', context);
    assert.equal(error?.extensions?.limit, limit, context);
  }
}

/** Each limit on its own app (the others at their defaults), at its edge over HTTP and over WebSocket. */
async function cases(): Promise<Case[]> {
  const schema = await buildAppSchema();
  // One ambulance: a read without `first` costs as much as its default page.
  const onePage = (fields: string) => `{ ambulances(first: 1) { ${fields} } }`;
  const costInside = onePage(`id lastPosition { ${ids(4)} }`);
  const costOver = onePage(`id lastPosition { ${ids(5)} }`);
  // Costs can be fractional; the limit is a whole number and a document may cost exactly as much.
  const maxCost = Math.ceil(costOf(schema, costInside));
  assert.ok(costOf(schema, costOver) > maxCost);
  let fields = 1;
  while (costOf(schema, subscription(ids(fields + 1))) <= maxCost) fields += 1;
  return [
    {
      limit: 'MAX_DEPTH',
      env: { GRAPHQL_MAX_DEPTH: String(MAX_DEPTH) },
      http: {
        inside: '{ ambulances { lastPosition { ambulance { id } } } }',
        over: '{ ambulances { lastPosition { ambulance { lastPosition { id } } } } }',
      },
      ws: {
        inside: 'subscription { trackingUpdated { ambulance { lastPosition { id } } } }',
        over: 'subscription { trackingUpdated { ambulance { lastPosition { ambulance { id } } } } }',
      },
    },
    {
      limit: 'MAX_COST',
      env: { GRAPHQL_MAX_COST: String(maxCost) },
      http: { inside: costInside, over: costOver },
      ws: { inside: subscription(ids(fields)), over: subscription(ids(fields + 1)) },
    },
    {
      limit: 'MAX_ALIASES',
      env: { GRAPHQL_MAX_ALIASES: String(MAX_ALIASES) },
      http: { inside: query('a: id b: id'), over: query('a: id b: id c: id') },
      ws: { inside: subscription('a: id b: id'), over: subscription('a: id b: id c: id') },
    },
    {
      limit: 'MAX_DIRECTIVES',
      env: { GRAPHQL_MAX_DIRECTIVES: String(MAX_DIRECTIVES) },
      http: {
        inside: query('id @include(if: true) id @skip(if: false)'),
        over: query('id @include(if: true) id @skip(if: false) id @include(if: true)'),
      },
      ws: {
        inside: subscription('id @include(if: true) id @skip(if: false)'),
        over: subscription('id @include(if: true) id @skip(if: false) id @include(if: true)'),
      },
    },
    {
      limit: 'MAX_TOKENS',
      env: { GRAPHQL_MAX_TOKENS: String(MAX_TOKENS) },
      http: { inside: withTokens(query, MAX_TOKENS), over: withTokens(query, MAX_TOKENS + 1) },
      ws: { inside: withTokens(subscription, MAX_TOKENS), over: withTokens(subscription, MAX_TOKENS + 1) },
    },
  ];
}

describe('GraphQL document limits, the same over HTTP and WebSocket', () => {
  let all: Case[];
  before(async () => {
    all = await cases();
  });

  for (const limit of ['MAX_DEPTH', 'MAX_COST', 'MAX_ALIASES', 'MAX_DIRECTIVES', 'MAX_TOKENS']) {
    it(`${limit}: refuses the document just over it with a coded error and runs the one at it`, async () => {
      const { env, http, ws } = all.find((entry) => entry.limit === limit) as Case;
      const app = await startTestApp({ events: 'local', env });
      const client = wsClient(app.wsUrl);
      try {
        const accepted = await graphqlRequest(app.graphqlUrl, http.inside);
        assert.equal(accepted.status, 200, `HTTP inside: ${JSON.stringify(accepted)}`);
        assert.deepEqual(accepted.data, { ambulances: [] });
        const refused = await graphqlRequest(app.graphqlUrl, http.over);
        assert.equal(refused.status, 400, `HTTP over: ${JSON.stringify(refused)}`);
        assert.equal(refused.data, undefined);
        assertRefusal(limit, refused.errors?.[0], JSON.stringify(refused));

        const running = subscribe(client, ws.inside);
        const wsRefused = subscribe(client, ws.over);
        await wsRefused.completed;
        const errors = (wsRefused.errors[0] ?? []) as GraphQLErrorJson[];
        assertRefusal(limit, errors[0], JSON.stringify(wsRefused.errors));
        await waitForSubscribers(app, 1);
        assert.deepEqual(running.errors, []);
        running.dispose();
      } finally {
        await client.dispose();
        await app.close();
      }
    });
  }
});

describe('the cost limit with list sizes from variables', () => {
  const LIMIT_SIZE = 10;
  const history = (first: string, declaration = first === '$n' ? ', $n: Int' : '') =>
    `query($id: ID!${declaration}) { trackingHistory(ambulanceId: $id, first: ${first}) { edges { node { id latitude longitude ambulance { id } } } } }`;
  let app: TestApp;
  before(async () => {
    const schema = await buildAppSchema();
    const maxCost = Math.ceil(costOf(schema, history(String(LIMIT_SIZE))));
    assert.ok(costOf(schema, history(String(LIMIT_SIZE + 1))) > maxCost);
    app = await startTestApp({ events: 'local', env: { GRAPHQL_MAX_COST: String(maxCost) } });
  });
  after(() => app.close());

  it('counts `first: $n` as `first: n` over HTTP: runs n at the limit, refuses n + 1 as MAX_COST', async () => {
    const literalOver = await graphqlRequest(app.graphqlUrl, history(String(LIMIT_SIZE + 1)), { id: '332' });
    assert.equal(literalOver.status, 400);
    assertRefusal('MAX_COST', literalOver.errors?.[0], JSON.stringify(literalOver));

    const inside = await graphqlRequest(app.graphqlUrl, history('$n'), { id: '332', n: LIMIT_SIZE });
    assert.equal(inside.status, 200, JSON.stringify(inside));
    assert.deepEqual(inside.data, { trackingHistory: { edges: [] } });
    for (const n of [LIMIT_SIZE + 1, 500]) {
      const over = await graphqlRequest(app.graphqlUrl, history('$n'), { id: '332', n });
      assert.equal(over.status, 400, JSON.stringify(over));
      assert.equal(over.data, undefined);
      assertRefusal('MAX_COST', over.errors?.[0], JSON.stringify(over));
    }
    const byDefault = await graphqlRequest(app.graphqlUrl, history('$n', ', $n: Int = 11'), {
      id: '332',
    });
    assertRefusal('MAX_COST', byDefault.errors?.[0], JSON.stringify(byDefault));
  });

  it('counts `first: $n` as `first: n` over WebSocket too', async () => {
    const client = wsClient(app.wsUrl);
    try {
      const inside = subscribe(client, history('$n'), { id: '332', n: LIMIT_SIZE });
      await inside.completed;
      assert.deepEqual(inside.errors, []);
      assert.deepEqual(inside.items, [{ edges: [] }]);
      const over = subscribe(client, history('$n'), { id: '332', n: LIMIT_SIZE + 1 });
      await over.completed;
      const errors = (over.errors[0] ?? []) as GraphQLErrorJson[];
      assertRefusal('MAX_COST', errors[0], JSON.stringify(over.errors));
      assert.deepEqual(over.items, []);
    } finally {
      await client.dispose();
    }
  });
});
