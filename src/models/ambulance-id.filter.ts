import { Types } from 'mongoose';

/**
 * Matches an ambulance id in either stored form: the string devices send ("332") or,
 * for 24-hex ids, the ObjectId legacy documents hold.
 */
export function ambulanceIdValues(id: string): Array<string | Types.ObjectId> {
  return Types.ObjectId.isValid(id) && /^[0-9a-f]{24}$/i.test(id) ? [id, new Types.ObjectId(id)] : [id];
}

export function ambulanceIdFilter(id: string): { $in: Array<string | Types.ObjectId> } {
  return { $in: ambulanceIdValues(id) };
}

export function ambulanceIdToString(id: string | Types.ObjectId): string {
  return typeof id === 'string' ? id : id.toHexString();
}
