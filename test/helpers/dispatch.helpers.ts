import assert from 'node:assert/strict';
import { graphqlRequest } from './graphql.client.js';
import { ENDPOINTS, postFields } from './http.client.js';
import type { TestApp } from './test-app.js';

/** The test places: a hospital circle of 100 m and a station circle of 100 m, 7 km apart. */
export const HOSPITAL = { latitude: 13.75, longitude: 100.5 };
export const STATION = { latitude: 13.8, longitude: 100.55 };

/** A point `metres` north of `origin`. */
export const north = (origin: { latitude: number; longitude: number }, metres: number) => ({
  latitude: origin.latitude + metres / 111_320,
  longitude: origin.longitude,
});

export interface EventNode {
  id: string;
  ambulanceId: string;
  kind: string;
  at: string;
  place: { id: string; name: string; kind: string } | null;
  status: string | null;
  previousStatus: string | null;
  crashId: string | null;
  note: string | null;
  by: string | null;
}

export const EVENT_FIELDS = 'id ambulanceId kind at place { id name kind } status previousStatus crashId note by';

export async function ask<Data = Record<string, unknown>>(
  app: TestApp,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return graphqlRequest<Data>(app.graphqlUrl, query, variables, headers);
}

/** Like ask, but fails the test on any GraphQL error. */
export async function askOk<Data = Record<string, unknown>>(
  app: TestApp,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Data> {
  const response = await ask<Data>(app, query, variables, headers);
  assert.equal(response.errors, undefined, JSON.stringify(response.errors));
  return response.data as Data;
}

/** Posts a position as a device does (speed km/h) and expects 200. */
export async function report(
  app: TestApp,
  ambulanceId: string,
  point: { latitude: number; longitude: number },
  speed = 30,
): Promise<void> {
  const result = await postFields(`${app.url}${ENDPOINTS.tracking}`, {
    ambulance_id: ambulanceId,
    tracking_latitude: point.latitude,
    tracking_longitude: point.longitude,
    tracking_speed: speed,
    tracking_heading: 0,
  });
  assert.equal(result.status, 200, result.text);
}

/** Waits until everything posted so far is stored, projected and its dispatch events derived. */
export async function settled(...apps: TestApp[]): Promise<void> {
  for (const app of apps) {
    await app.app.trackingWriter.drained();
    await app.app.dispatch.monitor.drained();
  }
}

export async function eventsOf(app: TestApp, ambulanceId: string, kinds?: string[]): Promise<EventNode[]> {
  const data = await askOk<{ ambulanceEvents: { edges: Array<{ node: EventNode }> } }>(
    app,
    `query($id: ID, $kinds: [AmbulanceEventKind!]) {
      ambulanceEvents(ambulanceId: $id, kinds: $kinds, first: 500) { edges { node { ${EVENT_FIELDS} } } }
    }`,
    { id: ambulanceId, kinds },
  );
  return data.ambulanceEvents.edges.map((edge) => edge.node);
}

export const CREATE_PLACE = `mutation($input: PlaceInput!) {
  createPlace(input: $input) { id name kind latitude longitude radiusMeters polygon { latitude longitude } }
}`;

export async function createCircle(
  app: TestApp,
  name: string,
  kind: string,
  centre: { latitude: number; longitude: number },
  radiusMeters = 100,
  headers: Record<string, string> = {},
): Promise<string> {
  const data = await askOk<{ createPlace: { id: string } }>(
    app,
    CREATE_PLACE,
    { input: { name, kind, ...centre, radiusMeters } },
    headers,
  );
  return data.createPlace.id;
}

export const SET_STATUS = `mutation($id: ID!, $status: UnitStatus!, $note: String) {
  setUnitStatus(ambulanceId: $id, status: $status, note: $note) { id status statusSince statusBy }
}`;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
