import type { PlaceKind, UnitStatus } from './ambulance-event.js';

/**
 * The status changes inferred from where a unit goes (docs/dispatch.md lists this table). Only entering a place
 * is a trigger, and only while the unit has the `from` status: a status set by hand therefore stays until a
 * later trigger that matches it (a unit set OUT_OF_SERVICE at the hospital stays so when it returns to base).
 */
export interface StatusTransition {
  readonly rule: string;
  readonly placeKinds: readonly PlaceKind[];
  readonly from: readonly UnitStatus[];
  readonly to: UnitStatus;
}

export const STATUS_TRANSITIONS: readonly StatusTransition[] = [
  { rule: 'hospital-arrival', placeKinds: ['HOSPITAL'], from: ['TRANSPORTING'], to: 'AT_HOSPITAL' },
  { rule: 'back-at-base', placeKinds: ['STATION', 'BASE'], from: ['AT_HOSPITAL'], to: 'AVAILABLE' },
];

/** The transition entering a place of this kind triggers for a unit with this status, or null. */
export function transitionOnEntering(status: UnitStatus, placeKind: PlaceKind): StatusTransition | null {
  return (
    STATUS_TRANSITIONS.find(
      (transition) => transition.placeKinds.includes(placeKind) && transition.from.includes(status),
    ) ?? null
  );
}

/** The `by` of an inferred change: `system:<rule>`. */
export const inferredBy = (transition: StatusTransition) => `system:${transition.rule}`;
