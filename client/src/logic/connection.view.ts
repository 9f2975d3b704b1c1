import { formatAgo } from './staleness.js';

export type LinkStatus = 'connecting' | 'connected' | 'reconnecting' | 'refused';

/** After this long without a connection the banner says OFFLINE rather than reconnecting. */
export const OFFLINE_AFTER_MS = 30_000;

export interface ConnectionState {
  readonly status: LinkStatus;
  /** Local time of the last status change: connected since, or disconnected since. */
  readonly sinceMs: number;
  /** When the dashboard last had a complete picture (after a load or a catch-up). */
  readonly syncedAtMs: number | null;
  readonly reconnections: number;
  /** Items the subscriptions delivered after the last reconnection that were stored while disconnected. */
  readonly caughtUp: number;
}

/** The connection after a status change (`current` itself when the status stays). */
export function withLinkStatus(current: ConnectionState, status: LinkStatus, nowMs: number): ConnectionState {
  if (current.status === status) return current;
  // "Reconnecting since" counts from the moment the connection was lost, not from each retry.
  const keepsSince = (current.status === 'reconnecting' || current.status === 'connecting') && status !== 'connected';
  return { ...current, status, sinceMs: keepsSince ? current.sinceMs : nowMs };
}

export interface ConnectionView {
  readonly tone: 'green' | 'orange' | 'red';
  /** One word, shown in capitals beside the colour. */
  readonly label: 'LIVE' | 'CONNECTING' | 'RECONNECTING' | 'OFFLINE' | 'SIGN-IN NEEDED';
  readonly detail: string;
}

/** What the connection banner says: state in a word and a colour, and since when. */
export function connectionView(
  status: LinkStatus,
  sinceMs: number,
  nowMs: number,
  online: boolean,
  formatTime: (ms: number) => string,
): ConnectionView {
  const since = `${formatTime(sinceMs)} (${formatAgo((nowMs - sinceMs) / 1000)})`;
  switch (status) {
    case 'connected':
      return { tone: 'green', label: 'LIVE', detail: `connected since ${since}` };
    case 'connecting':
      return { tone: 'orange', label: 'CONNECTING', detail: `since ${since}` };
    case 'refused':
      return { tone: 'red', label: 'SIGN-IN NEEDED', detail: `the server refused the token at ${since}` };
    case 'reconnecting':
      if (!online || nowMs - sinceMs > OFFLINE_AFTER_MS) {
        return {
          tone: 'red',
          label: 'OFFLINE',
          detail: `${online ? 'server unreachable' : 'no network'} since ${since}; retrying`,
        };
      }
      return { tone: 'orange', label: 'RECONNECTING', detail: `connection lost at ${since}` };
  }
}
