import { GraphQLError } from 'graphql';
import { Types } from 'mongoose';
import { assertAmbulanceInScope, scopeFilter } from '../auth/ambulance.scope.js';
import type { Principal } from '../auth/principal.js';
import { isValidAmbulanceId } from '../domain/ambulance-id.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { badInput, ErrorCode } from '../graphql/graphql.errors.js';
import { ambulanceIdFilter } from '../models/ambulance-id.filter.js';
import type { ConnectionShape } from './connection.type.js';
import type { PageArgsShape, TimeRangeArgsShape } from './pagination.args.js';

/** The part of a driver collection a page read uses. */
export interface FindableCollection {
  find(filter: object, options: object): { toArray(): Promise<unknown[]> };
}

export interface PageRequest<Doc, Node> {
  readonly collection: FindableCollection;
  readonly timeField: string;
  readonly filter: Record<string, unknown>;
  readonly args: PageArgsShape;
  readonly pageSize: { readonly default: number; readonly max: number };
  readonly timeOf: (doc: Doc) => Date;
  readonly toNode: (doc: Doc) => Node;
}

export function validAmbulanceId(id: string, argumentName = 'ambulanceId'): string {
  if (!isValidAmbulanceId(id)) throw badInput(argumentName, 'must be 1-64 letters, digits, "-" or "_"');
  return id;
}

/** Filter shared by history lists: optional ambulance and inclusive time range. */
export function rangeFilter(
  timeField: string,
  args: TimeRangeArgsShape & { ambulanceId?: string | null },
): Record<string, unknown> {
  if (args.from && args.to && args.from > args.to) throw badInput('from', 'must not be later than to');
  const filter: Record<string, unknown> = {};
  // Only an omitted id means "whole fleet"; an empty string is an invalid id, not a wildcard.
  if (args.ambulanceId !== undefined && args.ambulanceId !== null) {
    filter.ambulance_id = ambulanceIdFilter(validAmbulanceId(args.ambulanceId));
  }
  if (args.from || args.to) {
    filter[timeField] = { ...(args.from ? { $gte: args.from } : {}), ...(args.to ? { $lte: args.to } : {}) };
  }
  return filter;
}

/**
 * rangeFilter within the caller's scope: a requested ambulance outside it is FORBIDDEN, and a fleet-wide
 * read covers only the ambulances the token lists.
 */
export function scopedRangeFilter(
  principal: Principal,
  timeField: string,
  args: TimeRangeArgsShape & { ambulanceId?: string | null },
): Record<string, unknown> {
  const filter = rangeFilter(timeField, args);
  if (args.ambulanceId !== undefined && args.ambulanceId !== null) {
    assertAmbulanceInScope(principal, args.ambulanceId, 'ambulanceId');
    return filter;
  }
  const scoped = scopeFilter(principal);
  return scoped ? { ...filter, ambulance_id: scoped } : filter;
}

/**
 * One page of a chronological list, ordered by (time, _id). The cursor holds both, so pages are
 * stable while new documents arrive. Reads one document more than asked to learn whether more follow.
 */
export async function readPage<Doc extends { _id: Types.ObjectId }, Node>(
  request: PageRequest<Doc, Node>,
): Promise<ConnectionShape<Node>> {
  const { max } = request.pageSize;
  const first = request.args.first ?? request.pageSize.default;
  if (!Number.isInteger(first) || first < 1 || first > max) throw badInput('first', `must be between 1 and ${max}`);
  const clauses: Array<Record<string, unknown>> = [request.filter];
  if (request.args.after !== undefined && request.args.after !== null) {
    const position = decodeCursor(request.args.after);
    if (!position) {
      throw new GraphQLError('after is not a cursor returned by this list', {
        extensions: { code: ErrorCode.InvalidCursor, argumentName: 'after' },
      });
    }
    const id = new Types.ObjectId(position.id);
    clauses.push({
      $or: [{ [request.timeField]: { $gt: position.time } }, { [request.timeField]: position.time, _id: { $gt: id } }],
    });
  }
  const docs = (await request.collection
    .find(clauses.length === 1 ? request.filter : { $and: clauses }, {
      sort: { [request.timeField]: 1, _id: 1 },
      limit: first + 1,
    })
    .toArray()) as Doc[];
  const pageDocs = docs.slice(0, first);
  const edges = pageDocs.map((doc) => ({
    cursor: encodeCursor({ time: request.timeOf(doc), id: doc._id.toHexString() }),
    node: request.toNode(doc),
  }));
  return {
    edges,
    pageInfo: { hasNextPage: docs.length > first, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
