import type { DashboardSettings } from '../../../src/dashboard/dashboard.settings.js';

export type { DashboardSettings };

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The settings in a `/dashboard/config.json` body; a missing or unusable value gets a safe default. */
export function parseSettings(body: Readonly<Record<string, unknown>>, now: Date): DashboardSettings {
  return {
    staleAfterSeconds: numberOr(body.staleAfterSeconds, 60),
    offlineAfterSeconds: numberOr(body.offlineAfterSeconds, 300),
    alertLookbackMinutes: numberOr(body.alertLookbackMinutes, 30),
    tileUrl: stringOrNull(body.tileUrl),
    tileAttribution: stringOrNull(body.tileAttribution),
    pmtilesUrl: stringOrNull(body.pmtilesUrl),
    maxPageSize: Math.max(1, Math.floor(numberOr(body.maxPageSize, 100))),
    serverTime: typeof body.serverTime === 'string' ? body.serverTime : now.toISOString(),
    // A server that does not say offers the sign-in, as servers did before open mode hid it.
    signInRequired: body.signInRequired !== false,
  };
}
