import { createHash } from 'node:crypto';

/**
 * The id of an event, derived from what caused it (ambulance, kind and the triggering point, place visit, crash
 * or change): every instance that sees the same cause derives the same id, so a unique index keeps one event.
 * 24 hex digits, so it can be stored as an ObjectId and paged like every other list.
 */
export function ambulanceEventId(...cause: readonly string[]): string {
  return createHash('sha256').update(cause.join('\u0000')).digest('hex').slice(0, 24);
}
