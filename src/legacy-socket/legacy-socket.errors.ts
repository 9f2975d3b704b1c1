/** Stable codes of the `error` event (and of connect refusals) on the legacy Socket.IO endpoint. */
export const LegacySocketErrorCode = {
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  InvalidRoom: 'INVALID_ROOM',
  TooManyRooms: 'TOO_MANY_ROOMS',
  TooManyConnections: 'TOO_MANY_CONNECTIONS',
  OriginNotAllowed: 'ORIGIN_NOT_ALLOWED',
  SlowConsumer: 'SLOW_CONSUMER',
} as const;
export type LegacySocketErrorCode = (typeof LegacySocketErrorCode)[keyof typeof LegacySocketErrorCode];

/** What the client receives: `socket.on('error', ({ code, message, room }) => ...)`. */
export interface LegacySocketError {
  readonly code: LegacySocketErrorCode;
  readonly message: string;
  readonly room?: string;
}

/** An Error for Socket.IO middleware: v4 clients see `err.message` and `err.data`, Engine.IO 3 clients an `error` event with `data`. */
export function refusal(error: LegacySocketError): Error & { data: LegacySocketError } {
  return Object.assign(new Error(error.message), { data: error });
}
