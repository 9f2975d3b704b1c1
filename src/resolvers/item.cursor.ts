import { encodeCursor } from '../domain/cursor.js';

export const CURSOR_DESCRIPTION =
  'Opaque position of this item in its stream: pass it as `after` to the subscription to resume after it, or ' +
  'to the history query to page after it. On a history edge it equals the edge cursor.';

/** The cursor of a stored item: its (time, id) for history paging and, when it has one, its log position. */
export function itemCursor(time: Date, id: string, seq: number | null): string {
  return encodeCursor({ time, id, seq });
}

/**
 * The position a stored item's cursor resumes from when the item was read from history or a stored record:
 * the log's watermark when the item's position was handed out (`settled_seq`), not its own. An item with an
 * earlier position may have been committed after a read that showed this one, so the read could not have
 * shown it; every such position is above that watermark, so resuming from there replays it (and the item
 * itself, and perhaps others the read showed: a resume from a history cursor is at least once, dedupe by id).
 */
export function resumePosition(seq: number | null, settled: number | undefined): number | null {
  if (seq === null || settled === undefined) return seq;
  return Math.min(seq, settled);
}
