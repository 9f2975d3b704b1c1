import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSchema, type DocumentNode, GraphQLError } from 'graphql';
import { GraphQLErrorCode } from '../errors/error.codes.js';
import { DocumentPreparer, type GraphQLLimits, limitRules } from './graphql.limits.js';

const schema = buildSchema(`
  type Point { speed: Float }
  type Query { points(first: Int): [Point!]! }
  type Subscription { point(id: ID): Point }
`);
const limits: GraphQLLimits = {
  maxDepth: 10,
  maxCost: 1000,
  maxAliases: 5,
  maxDirectives: 5,
  maxTokens: 500,
  defaultListSize: 10,
};
const preparer = () => new DocumentPreparer(schema, limits, limitRules(limits));

describe('documents prepared for the WebSocket path', () => {
  it('parses and validates a document once, and hands every subscriber the same one', () => {
    const documents = preparer();
    const query = 'subscription S($id: ID) { point(id: $id) { speed } }';
    const first = documents.prepare({ query, variables: { id: 'A' } });
    const second = documents.prepare({ query, variables: { id: 'B' } });
    assert.ok(!Array.isArray(first));
    assert.equal(second, first as DocumentNode);
  });

  it('refuses an invalid document every time, with its code', () => {
    const documents = preparer();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const refused = documents.prepare({ query: 'subscription { point { nope } }' });
      assert.ok(Array.isArray(refused));
      assert.equal(refused[0]?.extensions.code, GraphQLErrorCode.ValidationFailed);
    }
    const unparsable = documents.prepare({ query: 'subscription {' });
    assert.ok(Array.isArray(unparsable) && unparsable[0] instanceof GraphQLError);
    assert.equal(unparsable[0]?.extensions.code, GraphQLErrorCode.ParseFailed);
  });

  it('checks the cost with each subscriber’s variables, though the document is remembered', () => {
    const documents = preparer();
    const query = 'query Q($n: Int) { points(first: $n) { speed } }';
    assert.ok(!Array.isArray(documents.prepare({ query, variables: { n: 5 } })));
    const costly = documents.prepare({ query, variables: { n: 1_000_000 } });
    assert.ok(Array.isArray(costly), 'a cost over the limit is refused');
    assert.equal(costly[0]?.extensions.code, GraphQLErrorCode.ValidationFailed);
  });
});
