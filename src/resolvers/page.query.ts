import { Types } from 'mongoose';
import { assertAmbulanceInScope, scopeFilter } from '../auth/ambulance.scope.js';
import type { Principal } from '../auth/principal.js';
import { isValidAmbulanceId } from '../domain/ambulance-id.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { badInput, invalidCursorError } from '../errors/graphql.errors.js';
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

/** Nodes that carry their own cursor (stream items) give it to their edge. */
const ownCursor = (node: unknown): string | undefined => {
  const cursor = (node as { cursor?: unknown } | null)?.cursor;
  return typeof cursor === 'string' ? cursor : undefined;
};

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
  // Tombstones of abandoned log positions (src/models/stream.positions.ts) have no ambulance: never list them.
  return { ...filter, ambulance_id: scoped ?? { $exists: true } };
}

/** Which end of the list a page is read from, and how many nodes it holds. */
export interface PagePlan {
  /** True for `last`: the newest nodes of the window, still returned oldest first. */
  readonly backward: boolean;
  readonly size: number;
}

/**
 * The page `first` or `last` asks for (Relay): `first` (or the server default when neither is given) reads from
 * the oldest end of the window between the cursors, `last` from the newest end. Both at once are refused.
 */
export function pagePlan(args: PageArgsShape, pageSize: { readonly default: number; readonly max: number }): PagePlan {
  const { max } = pageSize;
  const backward = args.last !== undefined && args.last !== null;
  if (backward && args.first !== undefined && args.first !== null) {
    throw badInput('last', 'cannot be combined with first: pass first for the oldest nodes or last for the newest');
  }
  const argumentName = backward ? 'last' : 'first';
  const size = (backward ? args.last : args.first) ?? pageSize.default;
  if (!Number.isInteger(size) || size < 1 || size > max) throw badInput(argumentName, `must be between 1 and ${max}`);
  return { backward, size };
}

/** The part of the list strictly after (`after`) or before (`before`) a cursor, in (time, _id) order. */
function cursorClause(
  timeField: string,
  cursor: string | null | undefined,
  argumentName: 'after' | 'before',
): Record<string, unknown> | null {
  if (cursor === undefined || cursor === null) return null;
  const position = decodeCursor(cursor);
  if (!position) {
    throw invalidCursorError(argumentName);
  }
  const beyond = argumentName === 'after' ? '$gt' : '$lt';
  const id = new Types.ObjectId(position.id);
  return {
    $or: [{ [timeField]: { [beyond]: position.time } }, { [timeField]: position.time, _id: { [beyond]: id } }],
  };
}

/**
 * One page of a chronological list, ordered by (time, _id). The cursors hold both, so pages are stable while
 * new documents arrive. `after`/`before` bound the window; `first` takes its oldest nodes, `last` its newest
 * (read newest first, returned oldest first). Reads one document more than asked to learn whether more follow
 * in the reading direction; the flag of the other direction is false (as Relay allows).
 */
export async function readPage<Doc extends { _id: Types.ObjectId }, Node>(
  request: PageRequest<Doc, Node>,
): Promise<ConnectionShape<Node>> {
  const plan = pagePlan(request.args, request.pageSize);
  const clauses = [
    request.filter,
    cursorClause(request.timeField, request.args.after, 'after'),
    cursorClause(request.timeField, request.args.before, 'before'),
  ].filter((clause): clause is Record<string, unknown> => clause !== null);
  const order = plan.backward ? -1 : 1;
  const docs = (await request.collection
    .find(clauses.length === 1 ? request.filter : { $and: clauses }, {
      sort: { [request.timeField]: order, _id: order },
      limit: plan.size + 1,
    })
    .toArray()) as Doc[];
  const more = docs.length > plan.size;
  const pageDocs = docs.slice(0, plan.size);
  if (plan.backward) pageDocs.reverse();
  const edges = pageDocs.map((doc) => {
    const node = request.toNode(doc);
    return { cursor: ownCursor(node) ?? encodeCursor({ time: request.timeOf(doc), id: doc._id.toHexString() }), node };
  });
  return {
    edges,
    pageInfo: {
      hasNextPage: !plan.backward && more,
      endCursor: edges.at(-1)?.cursor ?? null,
      hasPreviousPage: plan.backward && more,
      startCursor: edges[0]?.cursor ?? null,
    },
  };
}
