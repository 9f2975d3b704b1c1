/**
 * Opaque, stable pagination cursors over (time, id): the sort key of every history list.
 * Encoded as base64url so clients treat them as opaque; versioned so the format can change.
 */
export interface CursorPosition {
  readonly time: Date;
  readonly id: string;
}

const PREFIX = 'v1:';

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${PREFIX}${position.time.getTime()}:${position.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition | null {
  if (cursor.length === 0 || cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^v1:(-?\d{1,16}):([0-9a-f]{24})$/.exec(text);
  if (!match?.[1] || !match[2]) return null;
  const time = new Date(Number(match[1]));
  if (Number.isNaN(time.getTime())) return null;
  return { time, id: match[2] };
}
