import type { Logger } from 'pino';
import type { IgnoredDeviceTimeReason } from './device-time.parse.js';

/** Least time between two log lines about device times set aside (a device with a bad clock sends one a second). */
const LOG_INTERVAL_MS = 60_000;

/**
 * Counts device times set aside (out of bounds), and logs them at most once a minute: the first at once,
 * then a summary of how many were set aside since, with the last ambulance and why.
 */
export class DeviceTimeMonitor {
  private readonly totals: Record<IgnoredDeviceTimeReason, number> = { ahead: 0, too_old: 0 };
  private unlogged = 0;
  private lastLogAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly logger: Logger,
    private readonly count: (reason: IgnoredDeviceTimeReason) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  /** Device times set aside since start, by reason. */
  get ignored(): Readonly<Record<IgnoredDeviceTimeReason, number>> {
    return this.totals;
  }

  record(ambulanceId: string, reason: IgnoredDeviceTimeReason, detail: string): void {
    this.totals[reason] += 1;
    this.count(reason);
    this.unlogged += 1;
    const at = this.now();
    if (at - this.lastLogAt < LOG_INTERVAL_MS) return;
    this.logger.warn(
      { ambulanceId, reason, detail, setAside: this.unlogged },
      'device time out of bounds; point stored without it (check the device clock)',
    );
    this.lastLogAt = at;
    this.unlogged = 0;
  }
}
