/** Real HTTP calls to a running server, as devices and dashboards make them. */

export type BodyKind = 'json' | 'form' | 'multipart';

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

async function toResult(response: Response): Promise<HttpResult> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body, text };
}

export async function postFields(
  url: string,
  fields: Record<string, unknown>,
  kind: BodyKind = 'json',
): Promise<HttpResult> {
  if (kind === 'json') {
    return toResult(
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fields),
      }),
    );
  }
  if (kind === 'form') {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) form.append(key, String(value));
    return toResult(await fetch(url, { method: 'POST', body: form }));
  }
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, String(value));
  return toResult(await fetch(url, { method: 'POST', body: form }));
}

export async function postRaw(
  url: string,
  body: RequestInit['body'],
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return toResult(await fetch(url, { method: 'POST', body, headers }));
}

/** A JSON POST to one of the legacy endpoints of a running server, with extra headers (an address, a key). */
export function postJson(
  server: { readonly url: string },
  endpoint: keyof typeof ENDPOINTS,
  fields: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return postRaw(`${server.url}${ENDPOINTS[endpoint]}`, JSON.stringify(fields), {
    'content-type': 'application/json',
    ...headers,
  });
}

export async function getUrl(url: string): Promise<HttpResult> {
  return toResult(await fetch(url));
}

export const ENDPOINTS = {
  tracking: '/api/tracking/postAmbulanceTracking',
  crash: '/api/crash/postAmbulanceCrashNotify',
  snapshot: '/api/snapshot/postAmbulanceImageUpload',
} as const;

export function trackingFields(ambulanceId: string, speed = 50, overrides: Record<string, unknown> = {}) {
  return {
    ambulance_id: ambulanceId,
    tracking_latitude: 45.5 + Math.random() / 100,
    tracking_longitude: -73.6 + Math.random() / 100,
    tracking_speed: speed,
    tracking_heading: 90,
    ...overrides,
  };
}

/** Smallest valid images of each accepted kind, as bytes. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
export const TINY_JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9,
]);

export async function postImages(
  baseUrl: string,
  ambulanceId: string | null,
  files: Array<{ field: string; data: Uint8Array; name?: string; type?: string }>,
): Promise<HttpResult> {
  const form = new FormData();
  if (ambulanceId !== null) form.append('ambulance_id', ambulanceId);
  for (const file of files) {
    form.append(file.field, new Blob([file.data], { type: file.type ?? 'image/png' }), file.name ?? 'image.png');
  }
  return toResult(await fetch(`${baseUrl}${ENDPOINTS.snapshot}`, { method: 'POST', body: form }));
}
