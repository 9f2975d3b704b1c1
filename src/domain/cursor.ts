/**
 * Opaque, stable pagination cursors over (time, id), the sort key of every history list, and over the id alone
 * (the fleet). Encoded as base64url so clients treat them as opaque; versioned so the format can change.
 */
export interface CursorPosition {
  readonly time: Date;
  readonly id: string;
}

const PREFIX = 'v1:';

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${PREFIX}${position.time.getTime()}:${position.id}`, 'utf8').toString('base64url');
}

/** The cursor's text, or null when it cannot be one of ours. */
function cursorText(cursor: string): string | null {
  if (cursor.length === 0 || cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

export function decodeCursor(cursor: string): CursorPosition | null {
  const text = cursorText(cursor);
  if (text === null) return null;
  const match = /^v1:(-?\d{1,16}):([0-9a-f]{24})$/.exec(text);
  if (!match?.[1] || !match[2]) return null;
  const time = new Date(Number(match[1]));
  if (Number.isNaN(time.getTime())) return null;
  return { time, id: match[2] };
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
