import { Types } from 'mongoose';
import { scopeFilter } from '../auth/ambulance.scope.js';
import type { Principal } from '../auth/principal.js';
import { decodeIdCursor } from '../domain/cursor.js';
import type { AmbulanceDoc } from '../models/ambulance.model.js';
import type { FindableCollection } from './page.query.js';
import { invalidCursor, pagePlan } from './page.query.js';
import type { PageArgsShape } from './pagination.args.js';

/** The fleet documents after the `after` cursor (stored `_id` order: strings, then legacy ObjectIds). */
function afterClause(after: string | null | undefined): Record<string, unknown> | null {
  if (after === undefined || after === null) return null;
  const position = decodeIdCursor(after);
  if (!position) throw invalidCursor('after');
  if (position.objectId) return { _id: { $gt: new Types.ObjectId(position.id) } };
  // Comparisons stay within one BSON type, and every ObjectId sorts after every string.
  return { $or: [{ _id: { $gt: position.id } }, { _id: { $type: 'objectId' } }] };
}

/**
 * One page of the fleet in stored `_id` order (the `_id` index serves both the order and the cursor), within
 * the caller's scope. `first` defaults to and is capped by the page sizes of the history lists.
 */
export async function readFleetPage(
  collection: FindableCollection,
  principal: Principal,
  args: PageArgsShape,
  pageSize: { readonly default: number; readonly max: number },
): Promise<AmbulanceDoc[]> {
  const { size } = pagePlan({ first: args.first }, pageSize);
  const scoped = scopeFilter(principal);
  const clauses = [scoped ? { _id: scoped } : null, afterClause(args.after)].filter(
    (clause): clause is Record<string, unknown> => clause !== null,
  );
  const filter = clauses.length === 0 ? {} : clauses.length === 1 ? (clauses[0] as object) : { $and: clauses };
  return (await collection.find(filter, { sort: { _id: 1 }, limit: size }).toArray()) as AmbulanceDoc[];
}
