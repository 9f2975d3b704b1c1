/** Words and numbers of the dispatch views: unit statuses, event kinds, distances and ETAs. */

export const UNIT_STATUS_LABELS = {
  AVAILABLE: 'Available',
  DISPATCHED: 'Dispatched',
  EN_ROUTE: 'En route',
  ON_SCENE: 'On scene',
  TRANSPORTING: 'Transporting',
  AT_HOSPITAL: 'At hospital',
  OUT_OF_SERVICE: 'Out of service',
} as const;

export type UnitStatusName = keyof typeof UNIT_STATUS_LABELS;

/** Short forms for narrow lists (the full label is the badge's title). */
export const UNIT_STATUS_SHORT: Readonly<Record<UnitStatusName, string>> = {
  AVAILABLE: 'AVL',
  DISPATCHED: 'DSP',
  EN_ROUTE: 'ENR',
  ON_SCENE: 'SCN',
  TRANSPORTING: 'TRN',
  AT_HOSPITAL: 'HSP',
  OUT_OF_SERVICE: 'OOS',
};
export const UNIT_STATUS_NAMES = Object.keys(UNIT_STATUS_LABELS) as UnitStatusName[];

export const EVENT_KIND_LABELS = {
  PLACE_ENTERED: 'Arrived',
  PLACE_LEFT: 'Left',
  STATUS_CHANGED: 'Status',
  WENT_STALE: 'Stale',
  WENT_OFFLINE: 'Offline',
  CAME_ONLINE: 'Online',
  SPEEDING_STARTED: 'Speeding',
  CRASH_REPORTED: 'Crash',
  CRASH_ACKNOWLEDGED: 'Crash taken',
} as const;

export type EventKindName = keyof typeof EVENT_KIND_LABELS;
export const EVENT_KIND_NAMES = Object.keys(EVENT_KIND_LABELS) as EventKindName[];

/** "850 m", "12.4 km". */
export function formatDistance(metres: number): string {
  if (metres < 1000) return `${Math.round(metres)} m`;
  return `${(metres / 1000).toFixed(metres < 100_000 ? 1 : 0)} km`;
}

/** "45 s", "7 min", "1 h 05 min": an estimate, so never more precise than a minute past one. */
export function formatEta(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

interface DescribedEvent {
  readonly kind: EventKindName;
  readonly place: { readonly name: string } | null;
  readonly status: UnitStatusName | null;
  readonly previousStatus: UnitStatusName | null;
  readonly note: string | null;
  readonly by: string | null;
}

/** The text after an event's kind in the log: "at City Hospital", "Transporting → At hospital (system:hospital-arrival)". */
export function describeEvent(event: DescribedEvent): string {
  const by = event.by ? ` (${event.by})` : '';
  switch (event.kind) {
    case 'PLACE_ENTERED':
      return `at ${event.place?.name ?? 'a place'}`;
    case 'PLACE_LEFT':
      return event.place?.name ?? 'a place';
    case 'STATUS_CHANGED': {
      const from = event.previousStatus ? UNIT_STATUS_LABELS[event.previousStatus] : '?';
      const to = event.status ? UNIT_STATUS_LABELS[event.status] : '?';
      return `${from} → ${to}${by}${event.note ? `: ${event.note}` : ''}`;
    }
    case 'WENT_STALE':
      return 'no report lately';
    case 'WENT_OFFLINE':
      return 'no report for long';
    case 'CAME_ONLINE':
      return 'reporting again';
    case 'SPEEDING_STARTED':
      return event.note ? `at ${event.note}` : '';
    case 'CRASH_REPORTED':
      return 'reported by the crash sensor';
    case 'CRASH_ACKNOWLEDGED':
      return `${by.trim()}${event.note ? `: ${event.note}` : ''}`;
  }
}

/** "13.75, 100.5" or "13.75 100.5": a typed position, or null when it is not one. */
export function parseCoordinates(text: string): { latitude: number; longitude: number } | null {
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*[,\s]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!match) return null;
  const latitude = Number(match[1]);
  const longitude = Number(match[2]);
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  return { latitude, longitude };
}
