export const CONNECTIVITIES = ['ONLINE', 'STALE', 'OFFLINE'] as const;
export type Connectivity = (typeof CONNECTIVITIES)[number];

export interface ConnectivityRules {
  readonly staleAfterMs: number;
  readonly offlineAfterMs: number;
}

/**
 * From the age of the last report: ONLINE up to `staleAfterMs`, STALE up to `offlineAfterMs`, OFFLINE beyond
 * (and OFFLINE for a unit that never reported).
 */
export function connectivityOf(lastReportAt: Date | null, now: Date, rules: ConnectivityRules): Connectivity {
  if (!lastReportAt) return 'OFFLINE';
  const age = now.getTime() - lastReportAt.getTime();
  if (age > rules.offlineAfterMs) return 'OFFLINE';
  return age > rules.staleAfterMs ? 'STALE' : 'ONLINE';
}

/** The event kind of a change of connectivity. */
export function connectivityEventKind(to: Connectivity): 'CAME_ONLINE' | 'WENT_STALE' | 'WENT_OFFLINE' {
  if (to === 'ONLINE') return 'CAME_ONLINE';
  return to === 'STALE' ? 'WENT_STALE' : 'WENT_OFFLINE';
}
