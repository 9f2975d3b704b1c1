/**
 * Dispatch-awareness events (places, unit status, connectivity, speeding, crash handling): the plain record that
 * the event log stores, GraphQL serves and the alert outlets send. Shared by the event recorder and the alerts.
 */
export const AMBULANCE_EVENT_KINDS = [
  'PLACE_ENTERED',
  'PLACE_LEFT',
  'STATUS_CHANGED',
  'WENT_STALE',
  'WENT_OFFLINE',
  'CAME_ONLINE',
  'SPEEDING_STARTED',
  'CRASH_REPORTED',
  'CRASH_ACKNOWLEDGED',
] as const;

export type AmbulanceEventKind = (typeof AMBULANCE_EVENT_KINDS)[number];

export const PLACE_KINDS = ['HOSPITAL', 'STATION', 'BASE', 'OTHER'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

export const UNIT_STATUSES = [
  'AVAILABLE',
  'DISPATCHED',
  'EN_ROUTE',
  'ON_SCENE',
  'TRANSPORTING',
  'AT_HOSPITAL',
  'OUT_OF_SERVICE',
] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export interface AmbulanceEventRecord {
  /** Stable and unique across instances: the idempotency key of every outlet that sends it. */
  readonly id: string;
  readonly ambulanceId: string;
  readonly kind: AmbulanceEventKind;
  readonly at: Date;
  readonly place: { readonly id: string; readonly name: string; readonly kind: PlaceKind } | null;
  readonly status: UnitStatus | null;
  readonly previousStatus: UnitStatus | null;
  readonly crashId: string | null;
  readonly note: string | null;
  /** Who or what caused it: a token subject, or `system:<rule>` for inferred changes. */
  readonly by: string | null;
}
