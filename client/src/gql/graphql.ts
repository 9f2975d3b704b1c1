/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
  /** The `Upload` scalar type represents a file upload. */
  Upload: { input: File; output: File; }
};

/** Kinds of the dispatch event log. */
export type AmbulanceEventKind =
  | 'CAME_ONLINE'
  | 'CRASH_ACKNOWLEDGED'
  | 'CRASH_REPORTED'
  | 'PLACE_ENTERED'
  | 'PLACE_LEFT'
  | 'SPEEDING_STARTED'
  | 'STATUS_CHANGED'
  | 'WENT_OFFLINE'
  | 'WENT_STALE';

/** From the age of the last report: ONLINE up to STALE_AFTER_SECONDS, STALE up to OFFLINE_AFTER_SECONDS, OFFLINE beyond. */
export type Connectivity =
  | 'OFFLINE'
  | 'ONLINE'
  | 'STALE';

export type LatLngInput = {
  latitude: Scalars['Float']['input'];
  longitude: Scalars['Float']['input'];
};

/** A circle (latitude, longitude, radiusMeters) or a polygon (polygon; the rest omitted). */
export type PlaceInput = {
  kind: PlaceKind;
  latitude?: InputMaybe<Scalars['Float']['input']>;
  longitude?: InputMaybe<Scalars['Float']['input']>;
  name: Scalars['String']['input'];
  /** At least 3 points, not closed (last ≠ first). */
  polygon?: InputMaybe<Array<LatLngInput>>;
  radiusMeters?: InputMaybe<Scalars['Float']['input']>;
};

/** What a place is to dispatch. */
export type PlaceKind =
  | 'BASE'
  | 'HOSPITAL'
  | 'OTHER'
  | 'STATION';

/** GREEN up to 80 km/h, ORANGE above 80 up to 120 km/h, RED above 120 km/h. */
export type SpeedState =
  | 'GREEN'
  | 'ORANGE'
  | 'RED';

/** TRACKING (trackingUpdated), CRASHES (crashReported), SNAPSHOTS (snapshotUploaded). */
export type StreamTopic =
  | 'CRASHES'
  | 'SNAPSHOTS'
  | 'TRACKING';

/** What a unit is doing: set by dispatchers, or inferred from places (docs/dispatch.md). */
export type UnitStatus =
  | 'AT_HOSPITAL'
  | 'AVAILABLE'
  | 'DISPATCHED'
  | 'EN_ROUTE'
  | 'ON_SCENE'
  | 'OUT_OF_SERVICE'
  | 'TRANSPORTING';

export type AcknowledgeCrashMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  note?: InputMaybe<Scalars['String']['input']>;
}>;


export type AcknowledgeCrashMutation = { acknowledgeCrash: { id: string, acknowledgedAt: string | null, acknowledgedBy: string | null } };

export type AmbulanceEventFieldsFragment = { id: string, ambulanceId: string, kind: AmbulanceEventKind, at: string, status: UnitStatus | null, previousStatus: UnitStatus | null, crashId: string | null, note: string | null, by: string | null, place: { id: string, name: string, kind: PlaceKind } | null };

export type AmbulanceEventFeedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type AmbulanceEventFeedSubscription = { ambulanceEvent: { id: string, ambulanceId: string, kind: AmbulanceEventKind, at: string, status: UnitStatus | null, previousStatus: UnitStatus | null, crashId: string | null, note: string | null, by: string | null, place: { id: string, name: string, kind: PlaceKind } | null } };

export type AmbulanceEventsQueryVariables = Exact<{
  last?: InputMaybe<Scalars['Int']['input']>;
}>;


export type AmbulanceEventsQuery = { ambulanceEvents: { edges: Array<{ node: { id: string, ambulanceId: string, kind: AmbulanceEventKind, at: string, status: UnitStatus | null, previousStatus: UnitStatus | null, crashId: string | null, note: string | null, by: string | null, place: { id: string, name: string, kind: PlaceKind } | null } }> } };

export type AmbulanceTrackingSubscriptionVariables = Exact<{
  ambulanceId: Scalars['ID']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type AmbulanceTrackingSubscription = { trackingUpdated: { id: string, cursor: string, ambulanceId: string, latitude: number, longitude: number, speed: number | null, heading: number | null, state: SpeedState, recordedAt: string } };

export type CrashReportedSubscriptionVariables = Exact<{
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type CrashReportedSubscription = { crashReported: { id: string, cursor: string, ambulanceId: string, latitude: number, longitude: number, speed: number | null, heading: number | null, state: SpeedState, recordedAt: string, acknowledgedAt: string | null } };

export type CrashFieldsFragment = { id: string, cursor: string, ambulanceId: string, latitude: number, longitude: number, speed: number | null, heading: number | null, state: SpeedState, recordedAt: string, acknowledgedAt: string | null };

export type CrashesQueryVariables = Exact<{
  from?: InputMaybe<Scalars['DateTime']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type CrashesQuery = { crashes: { edges: Array<{ node: { id: string, cursor: string, ambulanceId: string, latitude: number, longitude: number, speed: number | null, heading: number | null, state: SpeedState, recordedAt: string, acknowledgedAt: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type DispatchUnitsQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type DispatchUnitsQuery = { ambulances: Array<{ id: string, cursor: string, status: UnitStatus, statusSince: string | null, statusBy: string | null }> };

export type FleetTrackingSubscriptionVariables = Exact<{
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type FleetTrackingSubscription = { trackingUpdated: { id: string, cursor: string, ambulanceId: string, latitude: number, longitude: number, speed: number | null, heading: number | null, state: SpeedState, recordedAt: string } };

export type FleetQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type FleetQuery = { ambulances: Array<{ id: string, cursor: string, lastPosition: { id: string, cursor: string, ambulanceId: string, latitude: number, longitude: number, speed: number | null, heading: number | null, state: SpeedState, recordedAt: string } | null }> };

export type NearestAmbulancesQueryVariables = Exact<{
  latitude: Scalars['Float']['input'];
  longitude: Scalars['Float']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  statuses?: InputMaybe<Array<UnitStatus> | UnitStatus>;
}>;


export type NearestAmbulancesQuery = { nearestAmbulances: Array<{ distanceMeters: number, etaSeconds: number, ambulance: { id: string, status: UnitStatus } }> };

export type PlacesQueryVariables = Exact<{ [key: string]: never; }>;


export type PlacesQuery = { places: Array<{ id: string, name: string, kind: PlaceKind, latitude: number, longitude: number, radiusMeters: number | null, polygon: Array<{ latitude: number, longitude: number }> | null }> };

export type SetUnitStatusMutationVariables = Exact<{
  ambulanceId: Scalars['ID']['input'];
  status: UnitStatus;
  note?: InputMaybe<Scalars['String']['input']>;
}>;


export type SetUnitStatusMutation = { setUnitStatus: { id: string, status: UnitStatus, statusSince: string | null, statusBy: string | null } };

export type SnapshotUploadedSubscriptionVariables = Exact<{
  ambulanceId: Scalars['ID']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type SnapshotUploadedSubscription = { snapshotUploaded: { id: string, cursor: string, ambulanceId: string, createdAt: string, images: Array<{ name: string, url: string }> } };

export type SnapshotFieldsFragment = { id: string, cursor: string, ambulanceId: string, createdAt: string, images: Array<{ name: string, url: string }> };

export type LatestSnapshotsQueryVariables = Exact<{
  ambulanceId: Scalars['ID']['input'];
  last: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type LatestSnapshotsQuery = { snapshots: { edges: Array<{ node: { id: string, cursor: string, ambulanceId: string, createdAt: string, images: Array<{ name: string, url: string }> } }>, pageInfo: { endCursor: string | null } } };

export type StreamCursorQueryVariables = Exact<{
  topic: StreamTopic;
}>;


export type StreamCursorQuery = { streamCursor: string };

export type TrackingHistoryQueryVariables = Exact<{
  ambulanceId: Scalars['ID']['input'];
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type TrackingHistoryQuery = { trackingHistory: { edges: Array<{ node: { id: string, cursor: string, ambulanceId: string, latitude: number, longitude: number, speed: number | null, heading: number | null, state: SpeedState, recordedAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type TrackingPointFieldsFragment = { id: string, cursor: string, ambulanceId: string, latitude: number, longitude: number, speed: number | null, heading: number | null, state: SpeedState, recordedAt: string };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const AmbulanceEventFieldsFragmentDoc = new TypedDocumentString(`
    fragment AmbulanceEventFields on AmbulanceEvent {
  id
  ambulanceId
  kind
  at
  place {
    id
    name
    kind
  }
  status
  previousStatus
  crashId
  note
  by
}
    `, {"fragmentName":"AmbulanceEventFields"}) as unknown as TypedDocumentString<AmbulanceEventFieldsFragment, unknown>;
export const CrashFieldsFragmentDoc = new TypedDocumentString(`
    fragment CrashFields on Crash {
  id
  cursor
  ambulanceId
  latitude
  longitude
  speed
  heading
  state
  recordedAt
  acknowledgedAt
}
    `, {"fragmentName":"CrashFields"}) as unknown as TypedDocumentString<CrashFieldsFragment, unknown>;
export const SnapshotFieldsFragmentDoc = new TypedDocumentString(`
    fragment SnapshotFields on Snapshot {
  id
  cursor
  ambulanceId
  createdAt
  images {
    name
    url
  }
}
    `, {"fragmentName":"SnapshotFields"}) as unknown as TypedDocumentString<SnapshotFieldsFragment, unknown>;
export const TrackingPointFieldsFragmentDoc = new TypedDocumentString(`
    fragment TrackingPointFields on TrackingPoint {
  id
  cursor
  ambulanceId
  latitude
  longitude
  speed
  heading
  state
  recordedAt
}
    `, {"fragmentName":"TrackingPointFields"}) as unknown as TypedDocumentString<TrackingPointFieldsFragment, unknown>;
export const AcknowledgeCrashDocument = new TypedDocumentString(`
    mutation AcknowledgeCrash($id: ID!, $note: String) {
  acknowledgeCrash(id: $id, note: $note) {
    id
    acknowledgedAt
    acknowledgedBy
  }
}
    `) as unknown as TypedDocumentString<AcknowledgeCrashMutation, AcknowledgeCrashMutationVariables>;
export const AmbulanceEventFeedDocument = new TypedDocumentString(`
    subscription AmbulanceEventFeed {
  ambulanceEvent {
    ...AmbulanceEventFields
  }
}
    fragment AmbulanceEventFields on AmbulanceEvent {
  id
  ambulanceId
  kind
  at
  place {
    id
    name
    kind
  }
  status
  previousStatus
  crashId
  note
  by
}`) as unknown as TypedDocumentString<AmbulanceEventFeedSubscription, AmbulanceEventFeedSubscriptionVariables>;
export const AmbulanceEventsDocument = new TypedDocumentString(`
    query AmbulanceEvents($last: Int) {
  ambulanceEvents(last: $last) {
    edges {
      node {
        ...AmbulanceEventFields
      }
    }
  }
}
    fragment AmbulanceEventFields on AmbulanceEvent {
  id
  ambulanceId
  kind
  at
  place {
    id
    name
    kind
  }
  status
  previousStatus
  crashId
  note
  by
}`) as unknown as TypedDocumentString<AmbulanceEventsQuery, AmbulanceEventsQueryVariables>;
export const AmbulanceTrackingDocument = new TypedDocumentString(`
    subscription AmbulanceTracking($ambulanceId: ID!, $after: String) {
  trackingUpdated(ambulanceId: $ambulanceId, after: $after) {
    ...TrackingPointFields
  }
}
    fragment TrackingPointFields on TrackingPoint {
  id
  cursor
  ambulanceId
  latitude
  longitude
  speed
  heading
  state
  recordedAt
}`) as unknown as TypedDocumentString<AmbulanceTrackingSubscription, AmbulanceTrackingSubscriptionVariables>;
export const CrashReportedDocument = new TypedDocumentString(`
    subscription CrashReported($after: String) {
  crashReported(after: $after) {
    ...CrashFields
  }
}
    fragment CrashFields on Crash {
  id
  cursor
  ambulanceId
  latitude
  longitude
  speed
  heading
  state
  recordedAt
  acknowledgedAt
}`) as unknown as TypedDocumentString<CrashReportedSubscription, CrashReportedSubscriptionVariables>;
export const CrashesDocument = new TypedDocumentString(`
    query Crashes($from: DateTime, $first: Int, $after: String) {
  crashes(from: $from, first: $first, after: $after) {
    edges {
      node {
        ...CrashFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment CrashFields on Crash {
  id
  cursor
  ambulanceId
  latitude
  longitude
  speed
  heading
  state
  recordedAt
  acknowledgedAt
}`) as unknown as TypedDocumentString<CrashesQuery, CrashesQueryVariables>;
export const DispatchUnitsDocument = new TypedDocumentString(`
    query DispatchUnits($first: Int, $after: String) {
  ambulances(first: $first, after: $after) {
    id
    cursor
    status
    statusSince
    statusBy
  }
}
    `) as unknown as TypedDocumentString<DispatchUnitsQuery, DispatchUnitsQueryVariables>;
export const FleetTrackingDocument = new TypedDocumentString(`
    subscription FleetTracking($after: String) {
  trackingUpdated(after: $after) {
    ...TrackingPointFields
  }
}
    fragment TrackingPointFields on TrackingPoint {
  id
  cursor
  ambulanceId
  latitude
  longitude
  speed
  heading
  state
  recordedAt
}`) as unknown as TypedDocumentString<FleetTrackingSubscription, FleetTrackingSubscriptionVariables>;
export const FleetDocument = new TypedDocumentString(`
    query Fleet($first: Int, $after: String) {
  ambulances(first: $first, after: $after) {
    id
    cursor
    lastPosition {
      ...TrackingPointFields
    }
  }
}
    fragment TrackingPointFields on TrackingPoint {
  id
  cursor
  ambulanceId
  latitude
  longitude
  speed
  heading
  state
  recordedAt
}`) as unknown as TypedDocumentString<FleetQuery, FleetQueryVariables>;
export const NearestAmbulancesDocument = new TypedDocumentString(`
    query NearestAmbulances($latitude: Float!, $longitude: Float!, $first: Int, $statuses: [UnitStatus!]) {
  nearestAmbulances(
    latitude: $latitude
    longitude: $longitude
    first: $first
    statuses: $statuses
  ) {
    ambulance {
      id
      status
    }
    distanceMeters
    etaSeconds
  }
}
    `) as unknown as TypedDocumentString<NearestAmbulancesQuery, NearestAmbulancesQueryVariables>;
export const PlacesDocument = new TypedDocumentString(`
    query Places {
  places {
    id
    name
    kind
    latitude
    longitude
    radiusMeters
    polygon {
      latitude
      longitude
    }
  }
}
    `) as unknown as TypedDocumentString<PlacesQuery, PlacesQueryVariables>;
export const SetUnitStatusDocument = new TypedDocumentString(`
    mutation SetUnitStatus($ambulanceId: ID!, $status: UnitStatus!, $note: String) {
  setUnitStatus(ambulanceId: $ambulanceId, status: $status, note: $note) {
    id
    status
    statusSince
    statusBy
  }
}
    `) as unknown as TypedDocumentString<SetUnitStatusMutation, SetUnitStatusMutationVariables>;
export const SnapshotUploadedDocument = new TypedDocumentString(`
    subscription SnapshotUploaded($ambulanceId: ID!, $after: String) {
  snapshotUploaded(ambulanceId: $ambulanceId, after: $after) {
    ...SnapshotFields
  }
}
    fragment SnapshotFields on Snapshot {
  id
  cursor
  ambulanceId
  createdAt
  images {
    name
    url
  }
}`) as unknown as TypedDocumentString<SnapshotUploadedSubscription, SnapshotUploadedSubscriptionVariables>;
export const LatestSnapshotsDocument = new TypedDocumentString(`
    query LatestSnapshots($ambulanceId: ID!, $last: Int!, $after: String) {
  snapshots(ambulanceId: $ambulanceId, last: $last, after: $after) {
    edges {
      node {
        ...SnapshotFields
      }
    }
    pageInfo {
      endCursor
    }
  }
}
    fragment SnapshotFields on Snapshot {
  id
  cursor
  ambulanceId
  createdAt
  images {
    name
    url
  }
}`) as unknown as TypedDocumentString<LatestSnapshotsQuery, LatestSnapshotsQueryVariables>;
export const StreamCursorDocument = new TypedDocumentString(`
    query StreamCursor($topic: StreamTopic!) {
  streamCursor(topic: $topic)
}
    `) as unknown as TypedDocumentString<StreamCursorQuery, StreamCursorQueryVariables>;
export const TrackingHistoryDocument = new TypedDocumentString(`
    query TrackingHistory($ambulanceId: ID!, $from: DateTime, $to: DateTime, $first: Int, $after: String) {
  trackingHistory(
    ambulanceId: $ambulanceId
    from: $from
    to: $to
    first: $first
    after: $after
  ) {
    edges {
      node {
        ...TrackingPointFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment TrackingPointFields on TrackingPoint {
  id
  cursor
  ambulanceId
  latitude
  longitude
  speed
  heading
  state
  recordedAt
}`) as unknown as TypedDocumentString<TrackingHistoryQuery, TrackingHistoryQueryVariables>;