/**
 * What the dashboard reads from `/dashboard/config.json`: served by dashboard.router.ts, parsed by
 * client/src/logic/settings.parse.ts. Types only, so the client can `import type` it without server code.
 */
export interface DashboardSettings {
  readonly staleAfterSeconds: number;
  /** A unit whose last report is older is OFFLINE (OFFLINE_AFTER_SECONDS): "offline since HH:MM". */
  readonly offlineAfterSeconds: number;
  readonly alertLookbackMinutes: number;
  readonly tileUrl: string | null;
  readonly tileAttribution: string | null;
  /** The offline base map this server serves (DASHBOARD_PMTILES_PATH), preferred to `tileUrl`; null without one. */
  readonly pmtilesUrl: string | null;
  /** The largest `first` the history queries accept (HISTORY_MAX_PAGE_SIZE). */
  readonly maxPageSize: number;
  /** Lets the client measure its clock against the server's, which stamps every point. */
  readonly serverTime: string;
  /** False in open mode (neither JWT_SECRET nor JWT_JWKS_URL set): there is nothing to sign in to. */
  readonly signInRequired: boolean;
}
