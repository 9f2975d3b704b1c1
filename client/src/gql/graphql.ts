/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** GREEN up to 80 km/h, ORANGE above 80 up to 120 km/h, RED above 120 km/h. */
export type SpeedState =
  | 'GREEN'
  | 'ORANGE'
  | 'RED';

export type AmbulanceTrackingSubscriptionVariables = Exact<{
  ambulanceId: string;
}>;


export type AmbulanceTrackingSubscription = { trackingUpdated: { id: string, ambulanceId: string, latitude: number, longitude: number, speed: number | null, heading: number | null, state: SpeedState, recordedAt: string } };

export type CrashReportedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type CrashReportedSubscription = { crashReported: { id: string, ambulanceId: string, latitude: number, longitude: number, speed: number | null, heading: number | null, state: SpeedState, recordedAt: string } };

export type CrashFieldsFragment = { id: string, ambulanceId: string, latitude: number, longitude: number, speed: number | null, heading: number | null, state: SpeedState, recordedAt: string };

export type CrashesQueryVariables = Exact<{
  from?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type CrashesQuery = { crashes: { edges: Array<{ node: { id: string, ambulanceId: string, latitude: number, longitude: number, speed: number | null, heading: number | null, state: SpeedState, recordedAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type FleetTrackingSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type FleetTrackingSubscription = { trackingUpdated: { id: string, ambulanceId: string, latitude: number, longitude: number, speed: number | null, heading: number | null, state: SpeedState, recordedAt: string } };

export type FleetQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type FleetQuery = { ambulances: Array<{ id: string, cursor: string, lastPosition: { id: string, ambulanceId: string, latitude: number, longitude: number, speed: number | null, heading: number | null, state: SpeedState, recordedAt: string } | null }> };

export type SnapshotUploadedSubscriptionVariables = Exact<{
  ambulanceId: string;
}>;


export type SnapshotUploadedSubscription = { snapshotUploaded: { id: string, ambulanceId: string, createdAt: string, images: Array<{ name: string, url: string }> } };

export type SnapshotFieldsFragment = { id: string, ambulanceId: string, createdAt: string, images: Array<{ name: string, url: string }> };

export type LatestSnapshotsQueryVariables = Exact<{
  ambulanceId: string;
  last: number;
  after?: string | null | undefined;
}>;


export type LatestSnapshotsQuery = { snapshots: { edges: Array<{ node: { id: string, ambulanceId: string, createdAt: string, images: Array<{ name: string, url: string }> } }>, pageInfo: { endCursor: string | null } } };

export type TrackingHistoryQueryVariables = Exact<{
  ambulanceId: string;
  from?: string | null | undefined;
  to?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type TrackingHistoryQuery = { trackingHistory: { edges: Array<{ node: { id: string, ambulanceId: string, latitude: number, longitude: number, speed: number | null, heading: number | null, state: SpeedState, recordedAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type TrackingPointFieldsFragment = { id: string, ambulanceId: string, latitude: number, longitude: number, speed: number | null, heading: number | null, state: SpeedState, recordedAt: string };

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
export const CrashFieldsFragmentDoc = new TypedDocumentString(`
    fragment CrashFields on Crash {
  id
  ambulanceId
  latitude
  longitude
  speed
  heading
  state
  recordedAt
}
    `, {"fragmentName":"CrashFields"}) as unknown as TypedDocumentString<CrashFieldsFragment, unknown>;
export const SnapshotFieldsFragmentDoc = new TypedDocumentString(`
    fragment SnapshotFields on Snapshot {
  id
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
  ambulanceId
  latitude
  longitude
  speed
  heading
  state
  recordedAt
}
    `, {"fragmentName":"TrackingPointFields"}) as unknown as TypedDocumentString<TrackingPointFieldsFragment, unknown>;
export const AmbulanceTrackingDocument = new TypedDocumentString(`
    subscription AmbulanceTracking($ambulanceId: ID!) {
  trackingUpdated(ambulanceId: $ambulanceId) {
    ...TrackingPointFields
  }
}
    fragment TrackingPointFields on TrackingPoint {
  id
  ambulanceId
  latitude
  longitude
  speed
  heading
  state
  recordedAt
}`) as unknown as TypedDocumentString<AmbulanceTrackingSubscription, AmbulanceTrackingSubscriptionVariables>;
export const CrashReportedDocument = new TypedDocumentString(`
    subscription CrashReported {
  crashReported {
    ...CrashFields
  }
}
    fragment CrashFields on Crash {
  id
  ambulanceId
  latitude
  longitude
  speed
  heading
  state
  recordedAt
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
  ambulanceId
  latitude
  longitude
  speed
  heading
  state
  recordedAt
}`) as unknown as TypedDocumentString<CrashesQuery, CrashesQueryVariables>;
export const FleetTrackingDocument = new TypedDocumentString(`
    subscription FleetTracking {
  trackingUpdated {
    ...TrackingPointFields
  }
}
    fragment TrackingPointFields on TrackingPoint {
  id
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
  ambulanceId
  latitude
  longitude
  speed
  heading
  state
  recordedAt
}`) as unknown as TypedDocumentString<FleetQuery, FleetQueryVariables>;
export const SnapshotUploadedDocument = new TypedDocumentString(`
    subscription SnapshotUploaded($ambulanceId: ID!) {
  snapshotUploaded(ambulanceId: $ambulanceId) {
    ...SnapshotFields
  }
}
    fragment SnapshotFields on Snapshot {
  id
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
  ambulanceId
  createdAt
  images {
    name
    url
  }
}`) as unknown as TypedDocumentString<LatestSnapshotsQuery, LatestSnapshotsQueryVariables>;
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
  ambulanceId
  latitude
  longitude
  speed
  heading
  state
  recordedAt
}`) as unknown as TypedDocumentString<TrackingHistoryQuery, TrackingHistoryQueryVariables>;