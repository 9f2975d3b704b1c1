import type { SpeedState } from './speed.state.js';
import { ageSeconds, isStale } from './staleness.js';
import { formatClock, formatMinutesAgo } from './time.format.js';

export interface UnitPosition {
  readonly latitude: number;
  readonly longitude: number;
  readonly speed: number | null;
  readonly state: SpeedState;
  readonly recordedAt: string;
}

export interface UnitCrash {
  readonly id: string;
  readonly ambulanceId: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly recordedAt: string;
}

/**
 * What a unit is doing, most urgent first: a crash nobody acknowledged outranks any speed; a last report older
 * than the stale threshold is history, not a current speed.
 */
export type UnitStatus<Crash extends UnitCrash = UnitCrash> =
  | { readonly kind: 'crash'; readonly crash: Crash; readonly crashMs: number }
  | {
      readonly kind: 'stale';
      readonly lastReportMs: number;
      readonly ageSeconds: number;
      /** Past the offline threshold too: shown OFFLINE, "offline since HH:MM". */
      readonly offline: boolean;
    }
  | { readonly kind: 'live'; readonly state: SpeedState; readonly speed: number | null }
  | { readonly kind: 'none' };

export type UnitTone = 'crash' | 'red' | 'orange' | 'green' | 'stale';

/** The newest unacknowledged crash of each ambulance. */
export function crashesByAmbulance<Crash extends UnitCrash>(alerts: readonly Crash[]): Map<string, Crash> {
  const byAmbulance = new Map<string, Crash>();
  for (const crash of alerts) {
    const known = byAmbulance.get(crash.ambulanceId);
    if (!known || Date.parse(crash.recordedAt) > Date.parse(known.recordedAt))
      byAmbulance.set(crash.ambulanceId, crash);
  }
  return byAmbulance;
}

export function unitStatus<Crash extends UnitCrash>(
  position: UnitPosition | null | undefined,
  crash: Crash | undefined,
  nowMs: number,
  staleAfterSeconds: number,
  offlineAfterSeconds = Number.POSITIVE_INFINITY,
): UnitStatus<Crash> {
  if (crash) return { kind: 'crash', crash, crashMs: Date.parse(crash.recordedAt) };
  if (!position) return { kind: 'none' };
  if (isStale(position.recordedAt, nowMs, staleAfterSeconds)) {
    return {
      kind: 'stale',
      lastReportMs: Date.parse(position.recordedAt),
      ageSeconds: ageSeconds(position.recordedAt, nowMs),
      offline: isStale(position.recordedAt, nowMs, offlineAfterSeconds),
    };
  }
  return { kind: 'live', state: position.state, speed: position.speed };
}

export function toneOf(status: UnitStatus): UnitTone {
  switch (status.kind) {
    case 'crash':
      return 'crash';
    case 'live':
      return status.state.toLowerCase() as UnitTone;
    default:
      return 'stale';
  }
}

/** The state in a word or two: "CRASH 14:05", "RED", "STALE", "NO REPORT". */
export function statusLabel(status: UnitStatus): string {
  switch (status.kind) {
    case 'crash':
      return `CRASH ${formatClock(status.crashMs)}`;
    case 'stale':
      return status.offline ? 'OFFLINE' : 'STALE';
    case 'live':
      return status.state;
    case 'none':
      return 'NO REPORT';
  }
}

/**
 * "last report 14:05 (7 min ago)": the age of a unit's picture instead of a speed that is no longer current;
 * "offline since 14:05" for an OFFLINE unit.
 */
export function lastReportText(lastReportMs: number, ageSecondsNow: number, offline = false): string {
  if (offline) return `offline since ${formatClock(lastReportMs)}`;
  return `last report ${formatClock(lastReportMs)} (${formatMinutesAgo(ageSecondsNow)})`;
}

/** Where to show a unit: its crash position when the crash is newer than its last report (or it has none). */
export function unitPlace(
  position: UnitPosition | null | undefined,
  crash: UnitCrash | undefined,
): { readonly latitude: number; readonly longitude: number } | null {
  if (crash && (!position || Date.parse(crash.recordedAt) >= Date.parse(position.recordedAt))) {
    return { latitude: crash.latitude, longitude: crash.longitude };
  }
  return position ? { latitude: position.latitude, longitude: position.longitude } : null;
}

const RANK: Readonly<Record<UnitTone, number>> = { crash: 0, red: 1, orange: 2, green: 3, stale: 4 };

/** Most urgent first: crashes, then RED, ORANGE, GREEN, then units without a current report. */
export function urgencyRank(status: UnitStatus): number {
  return RANK[toneOf(status)] + (status.kind === 'none' ? 1 : 0);
}

export type StateFilter = 'all' | UnitTone;

/** Whether a unit is listed for a search text (part of its id, any case) and a state filter. */
export function matchesFilter(ambulanceId: string, status: UnitStatus, search: string, filter: StateFilter): boolean {
  const text = search.trim().toLowerCase();
  if (text !== '' && !ambulanceId.toLowerCase().includes(text)) return false;
  return filter === 'all' || toneOf(status) === filter;
}
