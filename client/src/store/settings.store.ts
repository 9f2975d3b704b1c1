import { fetchSettings } from '../api/dashboard.settings';
import { messageOf } from '../logic/error.message';
import { clockOffsetMs } from '../logic/staleness';
import type { DashboardStateCell } from './dashboard.state';

const SETTINGS_RETRY_MS = 3_000;
/** Page size of history reads, within the server's HISTORY_MAX_PAGE_SIZE. */
const PREFERRED_PAGE_SIZE = 500;

/** The server's dashboard settings, and the server-corrected clock they give. */
export class SettingsStore {
  constructor(private readonly cell: DashboardStateCell) {}

  /** Reads the settings, retrying until the server answers. */
  async load(): Promise<void> {
    for (;;) {
      try {
        const sentMs = Date.now();
        const settings = await fetchSettings();
        this.cell.update({ settings, clockOffsetMs: clockOffsetMs(settings.serverTime, sentMs, Date.now()) });
        return;
      } catch (error) {
        this.cell.update({ notice: `Cannot reach the server (${messageOf(error)}); retrying…` });
        await new Promise((resolve) => setTimeout(resolve, SETTINGS_RETRY_MS));
      }
    }
  }

  /** Server-corrected current time, for ages and staleness. */
  now(): number {
    return Date.now() + this.cell.get().clockOffsetMs;
  }

  pageSize(): number {
    return Math.min(PREFERRED_PAGE_SIZE, this.cell.get().settings?.maxPageSize ?? 100);
  }

  alertLookbackMinutes(): number {
    return this.cell.get().settings?.alertLookbackMinutes ?? 30;
  }
}
