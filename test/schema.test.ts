import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildSchema, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { printAppSchema, SCHEMA_FILE } from '../src/graphql/schema.print.js';

const signature = (field: GraphQLField<unknown, unknown>) =>
  `${field.name}(${field.args.map((arg) => `${arg.name}: ${arg.type}`).join(', ')}): ${field.type}`;

describe('checked-in SDL', () => {
  it('matches the schema the resolvers build (run "npm run schema:generate" when this fails)', async () => {
    const checkedIn = await readFile(path.resolve(import.meta.dirname, '..', '..', SCHEMA_FILE), 'utf8');
    assert.equal(checkedIn, await printAppSchema());
  });

  it('keeps the partner contract: the names, arguments and types partners code against', async () => {
    const schema = buildSchema(await printAppSchema());
    const fields = (type: GraphQLObjectType | null | undefined) =>
      Object.values(type?.getFields() ?? {}).map((field) => signature(field));
    const query = fields(schema.getQueryType());
    const mutation = fields(schema.getMutationType());
    const subscription = fields(schema.getSubscriptionType());
    for (const expected of [
      // first/after were added after the contract (optional: a query without them still gets a list, its first page).
      'ambulances(first: Int, after: String): [Ambulance!]!',
      'ambulance(id: ID!): Ambulance',
      'trackingHistory(ambulanceId: ID!, from: DateTime, to: DateTime, first: Int, after: String): TrackingPointConnection!',
      'crashes(ambulanceId: ID, from: DateTime, to: DateTime, first: Int, after: String): CrashConnection!',
      // last/before were added after the contract (optional, so partners' queries are unchanged).
      'snapshots(ambulanceId: ID!, first: Int, after: String, last: Int, before: String): SnapshotConnection!',
    ]) {
      assert.ok(query.includes(expected), `Query lacks ${expected}; has ${query.join('; ')}`);
    }
    assert.ok(mutation.includes('uploadSnapshot(ambulanceId: ID!, files: [Upload!]!): Snapshot!'));
    for (const expected of [
      // after was added after the contract (optional: without it a subscription is live from now, as before).
      'trackingUpdated(ambulanceId: ID, after: String): TrackingPoint!',
      'crashReported(ambulanceId: ID, after: String): Crash!',
      'snapshotUploaded(ambulanceId: ID, after: String): Snapshot!',
    ]) {
      assert.ok(subscription.includes(expected), `Subscription lacks ${expected}`);
    }
    const objectFields = (name: string) => Object.keys((schema.getType(name) as GraphQLObjectType).getFields());
    const includesAll = (name: string, expected: string[]) =>
      assert.deepEqual(
        expected.filter((field) => !objectFields(name).includes(field)),
        [],
        `${name} lacks fields`,
      );
    includesAll('TrackingPoint', [
      'id',
      'ambulanceId',
      'latitude',
      'longitude',
      'speed',
      'heading',
      'state',
      'recordedAt',
      'cursor',
    ]);
    includesAll('Crash', [
      'id',
      'ambulanceId',
      'latitude',
      'longitude',
      'speed',
      'heading',
      'state',
      'recordedAt',
      'mapImageUrl',
      'cursor',
    ]);
    includesAll('Snapshot', ['id', 'ambulanceId', 'images', 'createdAt', 'cursor']);
    includesAll('SnapshotImage', ['name', 'url']);
    includesAll('Ambulance', ['id', 'lastPosition']);
    includesAll('TrackingPointConnection', ['edges', 'pageInfo']);
    includesAll('TrackingPointEdge', ['cursor', 'node']);
    includesAll('PageInfo', ['hasNextPage', 'endCursor', 'hasPreviousPage', 'startCursor']);
    assert.equal(String(schema.getType('DateTime')), 'DateTime');
    assert.deepEqual(
      (schema.getType('SpeedState') as import('graphql').GraphQLEnumType).getValues().map((value) => value.name),
      ['GREEN', 'ORANGE', 'RED'],
    );
  });
});
