/**
 * Opaque, stable pagination cursors over (time, id), the sort key of every history list, and over the id alone
 * (the fleet). Encoded as base64url so clients treat them as opaque; versioned so the format can change.
 *
 * An item that has a position in its topic's commit-ordered log (`seq`, see src/streams) gets a `v2` cursor:
 * its (time, id) for paging history and the log position a subscription resumes after. Items stored before the
 * log existed keep `v1` cursors.
 */
export interface CursorPosition {
  readonly time: Date;
  readonly id: string;
}

export interface ItemCursorPosition extends CursorPosition {
  /** The item's position in its topic's log (0: before its first); null for items stored before the log existed. */
  readonly seq: number | null;
}

const PREFIX = 'v1:';

/** The id in a cursor that names a log position only (a `streamCursor`), not an item. */
export const POSITION_ONLY_ID = '000000000000000000000000';

/** A v1 cursor (time, id), or a v2 one when `seq` is given. */
export function encodeCursor(position: CursorPosition & { seq?: number | null }): string {
  const { seq } = position;
  const text =
    seq === undefined || seq === null
      ? `${PREFIX}${position.time.getTime()}:${position.id}`
      : `v2:${seq}:${position.time.getTime()}:${position.id}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** The cursor's text, or null when it cannot be one of ours. */
function cursorText(cursor: string): string | null {
  if (cursor.length === 0 || cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

const validDate = (digits: string): Date | null => {
  const date = new Date(Number(digits));
  return Number.isNaN(date.getTime()) ? null : date;
};

export function decodeCursor(cursor: string): ItemCursorPosition | null {
  const text = cursorText(cursor);
  if (text === null) return null;
  const v1 = /^v1:(-?\d{1,16}):([0-9a-f]{24})$/.exec(text);
  if (v1?.[1] && v1[2]) {
    const time = validDate(v1[1]);
    return time ? { time, id: v1[2], seq: null } : null;
  }
  const v2 = /^v2:(\d{1,15}):(-?\d{1,16}):([0-9a-f]{24})$/.exec(text);
  if (!v2?.[1] || !v2[2] || !v2[3]) return null;
  const seq = Number(v2[1]);
  const time = validDate(v2[2]);
  if (!time || !Number.isSafeInteger(seq)) return null;
  return { time, id: v2[3], seq };
}

/** A position in a list ordered by stored `_id` alone: the id, and whether it is stored as an ObjectId. */
export interface IdCursorPosition {
  readonly id: string;
  readonly objectId: boolean;
}

export function encodeIdCursor(position: IdCursorPosition): string {
  return Buffer.from(`id1:${position.objectId ? 'o' : 's'}:${position.id}`, 'utf8').toString('base64url');
}

export function decodeIdCursor(cursor: string): IdCursorPosition | null {
  const text = cursorText(cursor);
  const match = text === null ? null : /^id1:([so]):([A-Za-z0-9_-]{1,64})$/.exec(text);
  if (!match?.[1] || !match[2]) return null;
  const objectId = match[1] === 'o';
  if (objectId && !/^[0-9a-f]{24}$/.test(match[2])) return null;
  return { id: match[2], objectId };
}
