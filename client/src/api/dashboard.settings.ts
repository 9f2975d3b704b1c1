/** Settings the server gives the dashboard at /dashboard/config.json (src/dashboard/dashboard.router.ts). */
export interface DashboardSettings {
  readonly staleAfterSeconds: number;
  readonly alertLookbackMinutes: number;
  readonly tileUrl: string | null;
  readonly tileAttribution: string | null;
  readonly maxPageSize: number;
  readonly serverTime: string;
}

export const SETTINGS_PATH = `${import.meta.env.BASE_URL}config.json`;

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export async function fetchSettings(): Promise<DashboardSettings> {
  const response = await fetch(SETTINGS_PATH, { cache: 'no-store' });
  if (!response.ok) throw new Error(`dashboard settings: HTTP ${response.status}`);
  const body = (await response.json()) as Record<string, unknown>;
  return {
    staleAfterSeconds: numberOr(body.staleAfterSeconds, 60),
    alertLookbackMinutes: numberOr(body.alertLookbackMinutes, 30),
    tileUrl: stringOrNull(body.tileUrl),
    tileAttribution: stringOrNull(body.tileAttribution),
    maxPageSize: Math.max(1, Math.floor(numberOr(body.maxPageSize, 100))),
    serverTime: typeof body.serverTime === 'string' ? body.serverTime : new Date().toISOString(),
  };
}
