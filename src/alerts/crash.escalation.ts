import type { Logger } from 'pino';
import { ambulanceIdToString } from '../models/ambulance-id.filter.js';
import type { CrashDoc } from '../models/crash.model.js';
import type { RawCollection } from '../models/models.js';
import { escalationAlertOf } from './alert.message.js';
import type { AlertMetrics } from './alert.metrics.js';
import type { AlertOutbox } from './alert.outbox.js';

export interface EscalationOptions {
  readonly afterSeconds: number;
  readonly lookbackMinutes: number;
}

const SWEEP_LIMIT = 500;

/** How often each instance sweeps: a quarter of the escalation delay, between 250 ms and 10 s. */
export const sweepIntervalMs = (afterSeconds: number) => Math.min(10_000, Math.max(250, (afterSeconds * 1000) / 4));

/**
 * Escalates crashes nobody acknowledged within `afterSeconds`. Every instance sweeps; a crash is marked
 * `escalated_at` by a conditional update, and its CRASH_ESCALATED alert has the id `escalation:<crashId>`, so the
 * outbox holds it once per webhook however many instances escalate it (on an unpatched FerretDB v1, whose
 * conditional updates are not atomic, two instances may both mark it; the outbox still takes the alert once). A
 * crash already marked is enqueued again once per instance, which adds nothing unless the instance that marked it
 * stopped before enqueueing. Crashes reported more than `lookbackMinutes` ago are left alone (historical crashes
 * from before acknowledgements existed, or a long outage, do not escalate in a flood).
 */
export class CrashEscalation {
  private readonly enqueued = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> | null = null;

  constructor(
    private readonly crashes: RawCollection<CrashDoc>,
    private readonly outbox: AlertOutbox,
    private readonly options: EscalationOptions,
    private readonly metrics: AlertMetrics,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.sweeping) return;
      this.sweeping = this.sweep()
        .catch((error: unknown) => {
          this.logger.warn({ err: (error as Error).message }, 'crash escalation sweep failed; trying again');
        })
        .finally(() => {
          this.sweeping = null;
        });
    }, sweepIntervalMs(this.options.afterSeconds));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
  }

  /** One sweep; resolves to the number of crashes this instance escalated. */
  async sweep(now = new Date()): Promise<number> {
    const deadline = new Date(now.getTime() - this.options.afterSeconds * 1000);
    const oldest = new Date(now.getTime() - this.options.lookbackMinutes * 60_000);
    for (const [id, reportedAt] of this.enqueued) if (reportedAt <= oldest.getTime()) this.enqueued.delete(id);
    const unacknowledged = { count_datetime: { $gt: oldest, $lte: deadline }, acknowledged_at: { $exists: false } };
    const read = { projection: { _id: 1, ambulance_id: 1, location: 1, count_datetime: 1, escalated_at: 1 } };
    // Crashes nobody escalated yet are read on their own: a window full of escalated, still unacknowledged
    // crashes (a burst of false alarms) must not hide a new one behind the read's limit.
    const due = [
      ...(await this.crashes
        .find({ ...unacknowledged, escalated_at: { $exists: false } }, { ...read, limit: SWEEP_LIMIT })
        .toArray()),
      // Escalated ones whose alert this instance may not have stored (see below).
      ...(await this.crashes
        .find({ ...unacknowledged, escalated_at: { $exists: true } }, { ...read, limit: SWEEP_LIMIT })
        .toArray()),
    ];
    let escalated = 0;
    for (const crash of due) {
      const id = crash._id.toHexString();
      if (this.enqueued.has(id)) continue;
      let escalatedAt = crash.escalated_at;
      if (!escalatedAt) {
        const marked = await this.crashes.updateOne(
          { _id: crash._id, acknowledged_at: { $exists: false }, escalated_at: { $exists: false } },
          { $set: { escalated_at: now } },
        );
        if (marked.modifiedCount === 0) continue;
        escalatedAt = now;
        escalated += 1;
        this.metrics.countEscalation();
        this.logger.warn(
          {
            crashId: id,
            ambulanceId: ambulanceIdToString(crash.ambulance_id),
            afterSeconds: this.options.afterSeconds,
          },
          'crash not acknowledged in time; escalated',
        );
      }
      await this.outbox.enqueue(
        escalationAlertOf(
          {
            id,
            ambulanceId: ambulanceIdToString(crash.ambulance_id),
            reportedAt: crash.count_datetime.toISOString(),
            latitude: crash.location.lat,
            longitude: crash.location.lon,
          },
          escalatedAt,
          this.options.afterSeconds,
        ),
      );
      this.enqueued.set(id, crash.count_datetime.getTime());
    }
    return escalated;
  }
}
