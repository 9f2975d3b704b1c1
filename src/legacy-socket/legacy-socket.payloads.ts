import type { CrashEvent, SnapshotEvent, TrackingEvent } from '../events/event.payloads.js';

/**
 * The `data` payloads the legacy server emitted, built from the events the app publishes. Field names and
 * units are the legacy ones; numbers are JSON numbers, the values the server stored (the legacy echoed the
 * request body, so a device posting form fields made it emit strings such as "45.5"). See docs/legacy-socket.md.
 */

/** The legacy tracking request body: tracking speed in km/h as the device sent it. */
export interface LegacyTrackingPayload {
  readonly ambulance_id: string;
  readonly tracking_latitude: number;
  readonly tracking_longitude: number;
  readonly tracking_speed: number | null;
  readonly tracking_heading: number | null;
}

/** The stored crash document as the legacy emitted it (`crash.toObject()`): speed in km/h, heading a string. */
export interface LegacyCrashPayload {
  readonly _id: string;
  readonly ambulance_id: string;
  readonly location: { readonly lat: number; readonly lon: number };
  readonly speed: number | null;
  readonly heading: string;
  readonly count_datetime: string;
  readonly state: string;
  readonly location_detail: { readonly address: string; readonly image: string };
}

/** `{ body, imagesObj }`: the upload's form fields and `image0`, `image1`, ... to stored paths. */
export interface LegacySnapshotPayload {
  readonly body: { readonly ambulance_id: string };
  readonly imagesObj: Readonly<Record<string, string>>;
}

export function legacyTrackingPayload(event: TrackingEvent): LegacyTrackingPayload {
  return {
    ambulance_id: event.ambulanceId,
    tracking_latitude: event.latitude,
    tracking_longitude: event.longitude,
    tracking_speed: event.speed,
    tracking_heading: event.heading,
  };
}

export function legacyCrashPayload(event: CrashEvent): LegacyCrashPayload {
  return {
    _id: event.id,
    ambulance_id: event.ambulanceId,
    location: { lat: event.latitude, lon: event.longitude },
    speed: event.speed,
    heading: event.heading === null ? '' : String(event.heading),
    count_datetime: event.recordedAt,
    state: event.state,
    location_detail: { address: '', image: event.mapImageUrl ?? '' },
  };
}

/**
 * The stored path of an image (`uploads/ambulance_images/...`, as in the `ambulance_images` records) from its
 * `/uploads/...` URL. `sign`, when image URLs are signed, adds `?expires=...&signature=...`, so a dashboard that
 * loads `<server>/<path>` still gets the image.
 */
export function legacySnapshotPayload(
  event: SnapshotEvent,
  sign: ((urlPath: string) => string) | null,
): LegacySnapshotPayload {
  const imagesObj: Record<string, string> = {};
  for (const image of event.images) {
    const urlPath = sign ? sign(image.url) : image.url;
    const [pathname = '', query] = urlPath.split('?', 2);
    const stored = pathname.replace(/^\/+/, '').split('/').map(decodeURIComponent).join('/');
    imagesObj[image.name] = query === undefined ? stored : `${stored}?${query}`;
  }
  return { body: { ambulance_id: event.ambulanceId }, imagesObj };
}
