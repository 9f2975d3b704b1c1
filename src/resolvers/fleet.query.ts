import { Types } from 'mongoose';
import { scopeFilter } from '../auth/ambulance.scope.js';
import type { Principal } from '../auth/principal.js';
import { decodeIdCursor } from '../domain/cursor.js';
import { invalidCursorError } from '../errors/graphql.errors.js';
import type { AmbulanceDoc } from '../models/ambulance.model.js';
import { type FindableCollection, pagePlan } from './page.query.js';
import type { PageArgsShape } from './pagination.args.js';

/**
 * The `_id` ranges after the `after` cursor, in list order. Stored ids sort strings first, then legacy ObjectIds,
 * and `$gt` compares within one type only: after a string come the greater strings, then every ObjectId. Read
 * one range at a time, each is a plain `_id` range (no `$or`, which FerretDB evaluates far more slowly).
 */
function rangesAfter(after: string | null | undefined): Array<Record<string, unknown>> {
  if (after === undefined || after === null) return [{}];
  const position = decodeIdCursor(after);
  if (!position) throw invalidCursorError('after');
  if (position.objectId) return [{ _id: { $gt: new Types.ObjectId(position.id) } }];
  return [{ _id: { $gt: position.id } }, { _id: { $type: 'objectId' } }];
}

/**
 * One page of the fleet in stored `_id` order (on MongoDB the `_id` index serves both the order and the
 * cursor), within the caller's scope. `first` defaults to and is capped by the page sizes of the history lists.
 */
export async function readFleetPage(
  collection: FindableCollection,
  principal: Principal,
  args: PageArgsShape,
  pageSize: { readonly default: number; readonly max: number },
): Promise<AmbulanceDoc[]> {
  const { size } = pagePlan({ first: args.first }, pageSize);
  const scoped = scopeFilter(principal);
  const docs: AmbulanceDoc[] = [];
  for (const range of rangesAfter(args.after)) {
    if (docs.length === size) break;
    const filter = scoped ? { $and: [{ _id: scoped }, range] } : range;
    const page = await collection.find(filter, { sort: { _id: 1 }, limit: size - docs.length }).toArray();
    docs.push(...(page as AmbulanceDoc[]));
  }
  return docs;
}
