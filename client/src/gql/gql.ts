/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation AcknowledgeCrash($id: ID!, $note: String) {\n  acknowledgeCrash(id: $id, note: $note) {\n    id\n    acknowledgedAt\n    acknowledgedBy\n  }\n}": typeof types.AcknowledgeCrashDocument,
    "fragment AmbulanceEventFields on AmbulanceEvent {\n  id\n  ambulanceId\n  kind\n  at\n  place {\n    id\n    name\n    kind\n  }\n  status\n  previousStatus\n  crashId\n  note\n  by\n}": typeof types.AmbulanceEventFieldsFragmentDoc,
    "subscription AmbulanceEventFeed {\n  ambulanceEvent {\n    ...AmbulanceEventFields\n  }\n}": typeof types.AmbulanceEventFeedDocument,
    "query AmbulanceEvents($last: Int) {\n  ambulanceEvents(last: $last) {\n    edges {\n      node {\n        ...AmbulanceEventFields\n      }\n    }\n  }\n}": typeof types.AmbulanceEventsDocument,
    "subscription AmbulanceTracking($ambulanceId: ID!, $after: String) {\n  trackingUpdated(ambulanceId: $ambulanceId, after: $after) {\n    ...TrackingPointFields\n  }\n}": typeof types.AmbulanceTrackingDocument,
    "subscription CrashReported($after: String) {\n  crashReported(after: $after) {\n    ...CrashFields\n  }\n}": typeof types.CrashReportedDocument,
    "fragment CrashFields on Crash {\n  id\n  cursor\n  ambulanceId\n  latitude\n  longitude\n  speed\n  heading\n  state\n  recordedAt\n  acknowledgedAt\n}": typeof types.CrashFieldsFragmentDoc,
    "query Crashes($from: DateTime, $first: Int, $after: String) {\n  crashes(from: $from, first: $first, after: $after) {\n    edges {\n      node {\n        ...CrashFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.CrashesDocument,
    "query DispatchUnits($first: Int, $after: String) {\n  ambulances(first: $first, after: $after) {\n    id\n    cursor\n    status\n    statusSince\n    statusBy\n  }\n}": typeof types.DispatchUnitsDocument,
    "subscription FleetTracking($after: String) {\n  trackingUpdated(after: $after) {\n    ...TrackingPointFields\n  }\n}": typeof types.FleetTrackingDocument,
    "query Fleet($first: Int, $after: String) {\n  ambulances(first: $first, after: $after) {\n    id\n    cursor\n    lastPosition {\n      ...TrackingPointFields\n    }\n  }\n}": typeof types.FleetDocument,
    "query NearestAmbulances($latitude: Float!, $longitude: Float!, $first: Int, $statuses: [UnitStatus!]) {\n  nearestAmbulances(\n    latitude: $latitude\n    longitude: $longitude\n    first: $first\n    statuses: $statuses\n  ) {\n    ambulance {\n      id\n      status\n    }\n    distanceMeters\n    etaSeconds\n  }\n}": typeof types.NearestAmbulancesDocument,
    "query Places {\n  places {\n    id\n    name\n    kind\n    latitude\n    longitude\n    radiusMeters\n    polygon {\n      latitude\n      longitude\n    }\n  }\n}": typeof types.PlacesDocument,
    "mutation SetUnitStatus($ambulanceId: ID!, $status: UnitStatus!, $note: String) {\n  setUnitStatus(ambulanceId: $ambulanceId, status: $status, note: $note) {\n    id\n    status\n    statusSince\n    statusBy\n  }\n}": typeof types.SetUnitStatusDocument,
    "subscription SnapshotUploaded($ambulanceId: ID!, $after: String) {\n  snapshotUploaded(ambulanceId: $ambulanceId, after: $after) {\n    ...SnapshotFields\n  }\n}": typeof types.SnapshotUploadedDocument,
    "fragment SnapshotFields on Snapshot {\n  id\n  cursor\n  ambulanceId\n  createdAt\n  images {\n    name\n    url\n  }\n}": typeof types.SnapshotFieldsFragmentDoc,
    "query LatestSnapshots($ambulanceId: ID!, $last: Int!, $after: String) {\n  snapshots(ambulanceId: $ambulanceId, last: $last, after: $after) {\n    edges {\n      node {\n        ...SnapshotFields\n      }\n    }\n    pageInfo {\n      endCursor\n    }\n  }\n}": typeof types.LatestSnapshotsDocument,
    "query StreamCursor($topic: StreamTopic!) {\n  streamCursor(topic: $topic)\n}": typeof types.StreamCursorDocument,
    "query TrackingHistory($ambulanceId: ID!, $from: DateTime, $to: DateTime, $first: Int, $after: String) {\n  trackingHistory(\n    ambulanceId: $ambulanceId\n    from: $from\n    to: $to\n    first: $first\n    after: $after\n  ) {\n    edges {\n      node {\n        ...TrackingPointFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.TrackingHistoryDocument,
    "fragment TrackingPointFields on TrackingPoint {\n  id\n  cursor\n  ambulanceId\n  latitude\n  longitude\n  speed\n  heading\n  state\n  recordedAt\n}": typeof types.TrackingPointFieldsFragmentDoc,
};
const documents: Documents = {
    "mutation AcknowledgeCrash($id: ID!, $note: String) {\n  acknowledgeCrash(id: $id, note: $note) {\n    id\n    acknowledgedAt\n    acknowledgedBy\n  }\n}": types.AcknowledgeCrashDocument,
    "fragment AmbulanceEventFields on AmbulanceEvent {\n  id\n  ambulanceId\n  kind\n  at\n  place {\n    id\n    name\n    kind\n  }\n  status\n  previousStatus\n  crashId\n  note\n  by\n}": types.AmbulanceEventFieldsFragmentDoc,
    "subscription AmbulanceEventFeed {\n  ambulanceEvent {\n    ...AmbulanceEventFields\n  }\n}": types.AmbulanceEventFeedDocument,
    "query AmbulanceEvents($last: Int) {\n  ambulanceEvents(last: $last) {\n    edges {\n      node {\n        ...AmbulanceEventFields\n      }\n    }\n  }\n}": types.AmbulanceEventsDocument,
    "subscription AmbulanceTracking($ambulanceId: ID!, $after: String) {\n  trackingUpdated(ambulanceId: $ambulanceId, after: $after) {\n    ...TrackingPointFields\n  }\n}": types.AmbulanceTrackingDocument,
    "subscription CrashReported($after: String) {\n  crashReported(after: $after) {\n    ...CrashFields\n  }\n}": types.CrashReportedDocument,
    "fragment CrashFields on Crash {\n  id\n  cursor\n  ambulanceId\n  latitude\n  longitude\n  speed\n  heading\n  state\n  recordedAt\n  acknowledgedAt\n}": types.CrashFieldsFragmentDoc,
    "query Crashes($from: DateTime, $first: Int, $after: String) {\n  crashes(from: $from, first: $first, after: $after) {\n    edges {\n      node {\n        ...CrashFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.CrashesDocument,
    "query DispatchUnits($first: Int, $after: String) {\n  ambulances(first: $first, after: $after) {\n    id\n    cursor\n    status\n    statusSince\n    statusBy\n  }\n}": types.DispatchUnitsDocument,
    "subscription FleetTracking($after: String) {\n  trackingUpdated(after: $after) {\n    ...TrackingPointFields\n  }\n}": types.FleetTrackingDocument,
    "query Fleet($first: Int, $after: String) {\n  ambulances(first: $first, after: $after) {\n    id\n    cursor\n    lastPosition {\n      ...TrackingPointFields\n    }\n  }\n}": types.FleetDocument,
    "query NearestAmbulances($latitude: Float!, $longitude: Float!, $first: Int, $statuses: [UnitStatus!]) {\n  nearestAmbulances(\n    latitude: $latitude\n    longitude: $longitude\n    first: $first\n    statuses: $statuses\n  ) {\n    ambulance {\n      id\n      status\n    }\n    distanceMeters\n    etaSeconds\n  }\n}": types.NearestAmbulancesDocument,
    "query Places {\n  places {\n    id\n    name\n    kind\n    latitude\n    longitude\n    radiusMeters\n    polygon {\n      latitude\n      longitude\n    }\n  }\n}": types.PlacesDocument,
    "mutation SetUnitStatus($ambulanceId: ID!, $status: UnitStatus!, $note: String) {\n  setUnitStatus(ambulanceId: $ambulanceId, status: $status, note: $note) {\n    id\n    status\n    statusSince\n    statusBy\n  }\n}": types.SetUnitStatusDocument,
    "subscription SnapshotUploaded($ambulanceId: ID!, $after: String) {\n  snapshotUploaded(ambulanceId: $ambulanceId, after: $after) {\n    ...SnapshotFields\n  }\n}": types.SnapshotUploadedDocument,
    "fragment SnapshotFields on Snapshot {\n  id\n  cursor\n  ambulanceId\n  createdAt\n  images {\n    name\n    url\n  }\n}": types.SnapshotFieldsFragmentDoc,
    "query LatestSnapshots($ambulanceId: ID!, $last: Int!, $after: String) {\n  snapshots(ambulanceId: $ambulanceId, last: $last, after: $after) {\n    edges {\n      node {\n        ...SnapshotFields\n      }\n    }\n    pageInfo {\n      endCursor\n    }\n  }\n}": types.LatestSnapshotsDocument,
    "query StreamCursor($topic: StreamTopic!) {\n  streamCursor(topic: $topic)\n}": types.StreamCursorDocument,
    "query TrackingHistory($ambulanceId: ID!, $from: DateTime, $to: DateTime, $first: Int, $after: String) {\n  trackingHistory(\n    ambulanceId: $ambulanceId\n    from: $from\n    to: $to\n    first: $first\n    after: $after\n  ) {\n    edges {\n      node {\n        ...TrackingPointFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.TrackingHistoryDocument,
    "fragment TrackingPointFields on TrackingPoint {\n  id\n  cursor\n  ambulanceId\n  latitude\n  longitude\n  speed\n  heading\n  state\n  recordedAt\n}": types.TrackingPointFieldsFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AcknowledgeCrash($id: ID!, $note: String) {\n  acknowledgeCrash(id: $id, note: $note) {\n    id\n    acknowledgedAt\n    acknowledgedBy\n  }\n}"): typeof import('./graphql').AcknowledgeCrashDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment AmbulanceEventFields on AmbulanceEvent {\n  id\n  ambulanceId\n  kind\n  at\n  place {\n    id\n    name\n    kind\n  }\n  status\n  previousStatus\n  crashId\n  note\n  by\n}"): typeof import('./graphql').AmbulanceEventFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription AmbulanceEventFeed {\n  ambulanceEvent {\n    ...AmbulanceEventFields\n  }\n}"): typeof import('./graphql').AmbulanceEventFeedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AmbulanceEvents($last: Int) {\n  ambulanceEvents(last: $last) {\n    edges {\n      node {\n        ...AmbulanceEventFields\n      }\n    }\n  }\n}"): typeof import('./graphql').AmbulanceEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription AmbulanceTracking($ambulanceId: ID!, $after: String) {\n  trackingUpdated(ambulanceId: $ambulanceId, after: $after) {\n    ...TrackingPointFields\n  }\n}"): typeof import('./graphql').AmbulanceTrackingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription CrashReported($after: String) {\n  crashReported(after: $after) {\n    ...CrashFields\n  }\n}"): typeof import('./graphql').CrashReportedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment CrashFields on Crash {\n  id\n  cursor\n  ambulanceId\n  latitude\n  longitude\n  speed\n  heading\n  state\n  recordedAt\n  acknowledgedAt\n}"): typeof import('./graphql').CrashFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Crashes($from: DateTime, $first: Int, $after: String) {\n  crashes(from: $from, first: $first, after: $after) {\n    edges {\n      node {\n        ...CrashFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): typeof import('./graphql').CrashesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DispatchUnits($first: Int, $after: String) {\n  ambulances(first: $first, after: $after) {\n    id\n    cursor\n    status\n    statusSince\n    statusBy\n  }\n}"): typeof import('./graphql').DispatchUnitsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription FleetTracking($after: String) {\n  trackingUpdated(after: $after) {\n    ...TrackingPointFields\n  }\n}"): typeof import('./graphql').FleetTrackingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Fleet($first: Int, $after: String) {\n  ambulances(first: $first, after: $after) {\n    id\n    cursor\n    lastPosition {\n      ...TrackingPointFields\n    }\n  }\n}"): typeof import('./graphql').FleetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query NearestAmbulances($latitude: Float!, $longitude: Float!, $first: Int, $statuses: [UnitStatus!]) {\n  nearestAmbulances(\n    latitude: $latitude\n    longitude: $longitude\n    first: $first\n    statuses: $statuses\n  ) {\n    ambulance {\n      id\n      status\n    }\n    distanceMeters\n    etaSeconds\n  }\n}"): typeof import('./graphql').NearestAmbulancesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Places {\n  places {\n    id\n    name\n    kind\n    latitude\n    longitude\n    radiusMeters\n    polygon {\n      latitude\n      longitude\n    }\n  }\n}"): typeof import('./graphql').PlacesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SetUnitStatus($ambulanceId: ID!, $status: UnitStatus!, $note: String) {\n  setUnitStatus(ambulanceId: $ambulanceId, status: $status, note: $note) {\n    id\n    status\n    statusSince\n    statusBy\n  }\n}"): typeof import('./graphql').SetUnitStatusDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription SnapshotUploaded($ambulanceId: ID!, $after: String) {\n  snapshotUploaded(ambulanceId: $ambulanceId, after: $after) {\n    ...SnapshotFields\n  }\n}"): typeof import('./graphql').SnapshotUploadedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment SnapshotFields on Snapshot {\n  id\n  cursor\n  ambulanceId\n  createdAt\n  images {\n    name\n    url\n  }\n}"): typeof import('./graphql').SnapshotFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query LatestSnapshots($ambulanceId: ID!, $last: Int!, $after: String) {\n  snapshots(ambulanceId: $ambulanceId, last: $last, after: $after) {\n    edges {\n      node {\n        ...SnapshotFields\n      }\n    }\n    pageInfo {\n      endCursor\n    }\n  }\n}"): typeof import('./graphql').LatestSnapshotsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StreamCursor($topic: StreamTopic!) {\n  streamCursor(topic: $topic)\n}"): typeof import('./graphql').StreamCursorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TrackingHistory($ambulanceId: ID!, $from: DateTime, $to: DateTime, $first: Int, $after: String) {\n  trackingHistory(\n    ambulanceId: $ambulanceId\n    from: $from\n    to: $to\n    first: $first\n    after: $after\n  ) {\n    edges {\n      node {\n        ...TrackingPointFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): typeof import('./graphql').TrackingHistoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment TrackingPointFields on TrackingPoint {\n  id\n  cursor\n  ambulanceId\n  latitude\n  longitude\n  speed\n  heading\n  state\n  recordedAt\n}"): typeof import('./graphql').TrackingPointFieldsFragmentDoc;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
