import { registerEnumType } from 'type-graphql';
import {
  AMBULANCE_EVENT_KINDS,
  type AmbulanceEventKind as EventKindName,
  PLACE_KINDS,
  type PlaceKind as PlaceKindName,
  UNIT_STATUSES,
  type UnitStatus as UnitStatusName,
} from '../domain/ambulance-event.js';
import { CONNECTIVITIES, type Connectivity as ConnectivityName } from '../domain/connectivity.rules.js';

const enumOf = <Name extends string>(names: readonly Name[]) =>
  Object.fromEntries(names.map((name) => [name, name])) as { readonly [Key in Name]: Key };

export const PlaceKind = enumOf(PLACE_KINDS);
export type PlaceKind = PlaceKindName;
export const UnitStatus = enumOf(UNIT_STATUSES);
export type UnitStatus = UnitStatusName;
export const AmbulanceEventKind = enumOf(AMBULANCE_EVENT_KINDS);
export type AmbulanceEventKind = EventKindName;
export const Connectivity = enumOf(CONNECTIVITIES);
export type Connectivity = ConnectivityName;

registerEnumType(PlaceKind, { name: 'PlaceKind', description: 'What a place is to dispatch.' });
registerEnumType(UnitStatus, {
  name: 'UnitStatus',
  description: 'What a unit is doing: set by dispatchers, or inferred from places (docs/dispatch.md).',
});
registerEnumType(AmbulanceEventKind, { name: 'AmbulanceEventKind', description: 'Kinds of the dispatch event log.' });
registerEnumType(Connectivity, {
  name: 'Connectivity',
  description:
    'From the age of the last report: ONLINE up to STALE_AFTER_SECONDS, STALE up to OFFLINE_AFTER_SECONDS, OFFLINE beyond.',
});
