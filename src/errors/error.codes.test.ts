import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import {
  CLIENT_ERROR_CODES,
  DocumentLimit,
  GraphQLErrorCode,
  IngestFailureCode,
  RefusalCode,
  UploadUrlCode,
} from './error.codes.js';

const GROUPS = { GraphQLErrorCode, DocumentLimit, RefusalCode, IngestFailureCode, UploadUrlCode };

describe('error code catalogue', () => {
  for (const [group, codes] of Object.entries(GROUPS)) {
    it(`${group}: every code is unique and UPPER_SNAKE_CASE`, () => {
      const values: string[] = Object.values(codes);
      assert.ok(values.length > 0);
      assert.equal(new Set(values).size, values.length, `duplicate code in ${group}: ${values.join(', ')}`);
      for (const code of values) assert.match(code, /^[A-Z][A-Z_]*[A-Z]$/);
    });
  }

  it("reuses every one of Apollo Server's codes rather than spelling its own", () => {
    const graphqlCodes = new Set<string>(Object.values(GraphQLErrorCode));
    for (const code of Object.values(ApolloServerErrorCode)) assert.ok(graphqlCodes.has(code), code);
  });

  it('lets clients see every GraphQL code except the two the error mask itself answers with', () => {
    const expected = Object.values(GraphQLErrorCode)
      .filter((code) => code !== GraphQLErrorCode.InternalServerError && code !== GraphQLErrorCode.StorageUnavailable)
      .sort();
    assert.deepEqual([...CLIENT_ERROR_CODES].sort(), expected);
  });
});
