import type { AlertKind, RoutedAlert } from '../domain/alert.routes.js';
import type { AmbulanceEventRecord, PlaceKind } from '../domain/ambulance-event.js';

/** The escalated crash, in CRASH_ESCALATED alerts only. */
export interface EscalatedCrash {
  readonly id: string;
  readonly reportedAt: string;
  readonly latitude: number;
  readonly longitude: number;
}

/**
 * The JSON body of a webhook (docs/alerts.md): the event record with ISO dates, or an escalation. `id` is the
 * idempotency key, sent again as the `Idempotency-Key` header, the same on every attempt.
 */
export interface AlertBody {
  readonly version: 1;
  readonly id: string;
  readonly kind: AlertKind;
  readonly at: string;
  readonly ambulanceId: string;
  readonly place: { readonly id: string; readonly name: string; readonly kind: PlaceKind } | null;
  readonly status: string | null;
  readonly previousStatus: string | null;
  readonly crashId: string | null;
  readonly note: string | null;
  readonly by: string | null;
  readonly crash: EscalatedCrash | null;
}

export const ESCALATION_BY = 'system:crash-escalation';

/** The idempotency key of a crash's escalation: one per crash, whichever instance escalates it. */
export const escalationIdOf = (crashId: string) => `escalation:${crashId}`;

export function alertOfEvent(record: AmbulanceEventRecord): AlertBody {
  return {
    version: 1,
    id: record.id,
    kind: record.kind,
    at: record.at.toISOString(),
    ambulanceId: record.ambulanceId,
    place: record.place ? { id: record.place.id, name: record.place.name, kind: record.place.kind } : null,
    status: record.status,
    previousStatus: record.previousStatus,
    crashId: record.crashId,
    note: record.note,
    by: record.by,
    crash: null,
  };
}

export function escalationAlertOf(
  crash: EscalatedCrash & { readonly ambulanceId: string },
  escalatedAt: Date,
  afterSeconds: number,
): AlertBody {
  const { ambulanceId, ...escalated } = crash;
  return {
    version: 1,
    id: escalationIdOf(crash.id),
    kind: 'CRASH_ESCALATED',
    at: escalatedAt.toISOString(),
    ambulanceId,
    place: null,
    status: null,
    previousStatus: null,
    crashId: crash.id,
    note: `not acknowledged within ${afterSeconds} s`,
    by: ESCALATION_BY,
    crash: escalated,
  };
}

export const routeOf = (alert: AlertBody): RoutedAlert => ({ kind: alert.kind, placeKind: alert.place?.kind ?? null });
