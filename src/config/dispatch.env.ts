import { positiveInt, wholeNumber } from './env.fields.js';

/** Dispatch awareness: arrivals, connectivity and the ETA estimate (docs/dispatch.md). */
export const dispatchEnv = {
  PLACE_DWELL_SECONDS: wholeNumber(20, 0, 3600),
  PLACE_EXIT_MARGIN_METERS: wholeNumber(30, 0, 5000),
  STALE_AFTER_SECONDS: positiveInt(60),
  OFFLINE_AFTER_SECONDS: positiveInt(300),
  CONNECTIVITY_SWEEP_SECONDS: wholeNumber(10, 1, 3600),
  ETA_AVERAGE_SPEED_KMH: wholeNumber(40, 1, 300),
};

interface DispatchSettings {
  readonly STALE_AFTER_SECONDS: number;
  readonly OFFLINE_AFTER_SECONDS: number;
}

/** Rules across variables; returns what to fix, or null. */
export function checkDispatchConfig(config: DispatchSettings): string | null {
  if (config.OFFLINE_AFTER_SECONDS <= config.STALE_AFTER_SECONDS) {
    return `OFFLINE_AFTER_SECONDS (${config.OFFLINE_AFTER_SECONDS}) must be greater than STALE_AFTER_SECONDS (${config.STALE_AFTER_SECONDS}): a unit goes stale before it goes offline`;
  }
  return null;
}
