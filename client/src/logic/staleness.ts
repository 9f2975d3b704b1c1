/** Seconds since `recordedAt` (an ISO time from the server) at `nowMs` (server-corrected), never negative. */
export function ageSeconds(recordedAt: string, nowMs: number): number {
  const recordedMs = Date.parse(recordedAt);
  if (Number.isNaN(recordedMs)) return Number.POSITIVE_INFINITY;
  return Math.max(0, Math.floor((nowMs - recordedMs) / 1000));
}

/** An ambulance is stale when its last report is older than the configured threshold. */
export function isStale(recordedAt: string, nowMs: number, staleAfterSeconds: number): boolean {
  return ageSeconds(recordedAt, nowMs) > staleAfterSeconds;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** "just now", "42 s", "3 min 05 s", "2 h 04 min", "3 d 5 h": short enough for a table cell. */
export function formatAge(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  const whole = Math.max(0, Math.floor(seconds));
  if (whole < 3) return 'just now';
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${pad(whole % 60)} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${pad(minutes % 60)} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** "just now" or "42 s ago". */
export function formatAgo(seconds: number): string {
  const age = formatAge(seconds);
  return age === 'just now' || age === 'unknown' ? age : `${age} ago`;
}

/**
 * The server-corrected clock: local time plus the offset measured against the server's clock. The server read
 * its clock somewhere between the request leaving and its answer arriving; taking the middle bounds the error
 * by half the round trip (against the whole answer time when the arrival alone is used).
 */
export function clockOffsetMs(serverTimeIso: string, localSentMs: number, localReceivedMs: number): number {
  const serverMs = Date.parse(serverTimeIso);
  return Number.isNaN(serverMs) ? 0 : serverMs - (localSentMs + localReceivedMs) / 2;
}

/** The server's time in a graphql-ws `connection_ack` payload (`{ serverTime }`), or null. */
export function ackServerTimeMs(payload: unknown): number | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const { serverTime } = payload as { serverTime?: unknown };
  const ms = typeof serverTime === 'string' ? Date.parse(serverTime) : Number.NaN;
  return Number.isNaN(ms) ? null : ms;
}
