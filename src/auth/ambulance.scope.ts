import type { Types } from 'mongoose';
import { forbiddenError } from '../errors/graphql.errors.js';
import { ambulanceIdValues } from '../models/ambulance-id.filter.js';
import { mayAccessAmbulance, type Principal } from './principal.js';

/** Refuses with FORBIDDEN when the caller's token does not list this ambulance. */
export function assertAmbulanceInScope(principal: Principal, ambulanceId: string, argumentName: string): void {
  if (!mayAccessAmbulance(principal, ambulanceId)) {
    throw forbiddenError(`${argumentName} "${ambulanceId}" is outside the ambulances your token allows`, argumentName);
  }
}

/** A filter on `ambulance_id` (or `_id` of fleet documents) limiting a fleet-wide read to the caller's scope. */
export function scopeFilter(principal: Principal): { $in: Array<string | Types.ObjectId> } | undefined {
  if (principal.ambulances === null) return undefined;
  return { $in: [...principal.ambulances].flatMap((id) => ambulanceIdValues(id)) };
}
