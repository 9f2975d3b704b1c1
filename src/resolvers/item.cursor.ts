import { encodeCursor } from '../domain/cursor.js';

export const CURSOR_DESCRIPTION =
  'Opaque position of this item in its stream: pass it as `after` to the subscription to resume after it, or ' +
  'to the history query to page after it. On a history edge it equals the edge cursor.';

/** The cursor of a stored item: its (time, id) for history paging and, when it has one, its log position. */
export function itemCursor(time: Date, id: string, seq: number | null): string {
  return encodeCursor({ time, id, seq });
}
