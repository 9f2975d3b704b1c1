import type { PlaceKind } from './ambulance-event.js';
import type { Coordinates } from './geo.distance.js';
import { isInsideShape, type PlaceShape } from './place.geometry.js';

export interface VisitPlace {
  readonly id: string;
  readonly name: string;
  readonly kind: PlaceKind;
  readonly shape: PlaceShape;
}

/** Where one ambulance is: the places it has entered, and those it reports inside without having entered yet. */
export interface PlaceVisits {
  readonly inside: ReadonlyArray<{ readonly placeId: string; readonly since: Date; readonly enteredAt: Date }>;
  readonly pending: ReadonlyArray<{ readonly placeId: string; readonly since: Date }>;
  /** Time of the newest report applied; older reports are ignored. */
  readonly lastAt: Date | null;
}

export const NO_VISITS: PlaceVisits = Object.freeze({ inside: [], pending: [], lastAt: null });

export interface VisitRules {
  /** A unit enters a place once it has reported inside it for this long (0: at its first report inside). */
  readonly dwellMs: number;
  /** A unit inside a place leaves it only with a report farther than this outside the place. */
  readonly exitMarginMeters: number;
}

export interface VisitChange {
  readonly place: VisitPlace;
  readonly at: Date;
  /** The first report of the stay inside: with the place, it names the visit (the same on every instance). */
  readonly since: Date;
}

export interface VisitOutcome {
  readonly visits: PlaceVisits;
  readonly entered: readonly VisitChange[];
  readonly left: readonly VisitChange[];
}

/**
 * Applies one report to an ambulance's visits.
 *
 * - **Entering** (dwell rule): a report inside a place starts a pending stay; the unit has entered once a later
 *   report, still inside and with no report outside in between, comes at least `dwellMs` after the first one.
 *   With a dwell of 0 the first report inside enters at once.
 * - **Leaving** (hysteresis): a unit that has entered leaves only with a report outside the place grown by
 *   `exitMarginMeters`; reports that jitter around the border stay inside.
 * - Places that no longer exist are forgotten without an event.
 */
export function applyReport(
  visits: PlaceVisits,
  report: Coordinates & { readonly at: Date },
  places: readonly VisitPlace[],
  rules: VisitRules,
): VisitOutcome {
  if (visits.lastAt && report.at < visits.lastAt) return { visits, entered: [], left: [] };
  const byId = new Map(places.map((place) => [place.id, place]));
  const entered: VisitChange[] = [];
  const left: VisitChange[] = [];
  const inside: Array<PlaceVisits['inside'][number]> = [];
  for (const stay of visits.inside) {
    const place = byId.get(stay.placeId);
    if (!place) continue;
    if (isInsideShape(place.shape, report, rules.exitMarginMeters)) inside.push(stay);
    else left.push({ place, at: report.at, since: stay.since });
  }
  const pending: Array<PlaceVisits['pending'][number]> = [];
  const pendingSince = new Map(visits.pending.map((stay) => [stay.placeId, stay.since]));
  for (const place of places) {
    if (inside.some((stay) => stay.placeId === place.id) || left.some((change) => change.place === place)) continue;
    if (!isInsideShape(place.shape, report)) continue;
    const since = pendingSince.get(place.id) ?? report.at;
    if (report.at.getTime() - since.getTime() >= rules.dwellMs) {
      inside.push({ placeId: place.id, since, enteredAt: report.at });
      entered.push({ place, at: report.at, since });
    } else {
      pending.push({ placeId: place.id, since });
    }
  }
  return { visits: { inside, pending, lastAt: report.at }, entered, left };
}

/** True when the visits differ in anything but `lastAt` (only such changes need storing). */
export function visitsChanged(before: PlaceVisits, after: PlaceVisits): boolean {
  const key = (visits: PlaceVisits) =>
    JSON.stringify([
      visits.inside.map((stay) => [stay.placeId, stay.since.getTime()]),
      visits.pending.map((stay) => [stay.placeId, stay.since.getTime()]),
    ]);
  return key(before) !== key(after);
}
