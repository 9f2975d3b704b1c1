import type { Logger } from 'pino';
import type { TrackingEvent } from '../events/event.payloads.js';
import type { ConnectivityMonitor } from './connectivity.monitor.js';
import type { CrashHandling } from './crash-handling.service.js';
import type { PlaceVisitTracker } from './place-visit.tracker.js';
import type { SpeedingAnnouncer } from './speeding.announcer.js';

type Work = { readonly points: readonly TrackingEvent[] };

/** Points waiting to be handled, at most: past it the oldest are skipped (stored, but no events derived). */
const MAX_WAITING_POINTS = 50_000;

/**
 * Derives dispatch events from stored points, off the request path and in the order they were stored: arrivals
 * and departures, CAME_ONLINE, SPEEDING_STARTED. A failure is logged and the next work goes on; the stored data is
 * untouched (the event log is derived from it). CRASH_REPORTED is recorded before the device is answered.
 */
export class DispatchMonitor {
  /** Stored points not yet handled, oldest first: handled together, in one piece of work. */
  private waiting: TrackingEvent[] = [];
  private running: Promise<void> | null = null;
  failures = 0;
  /** Stored points whose events were not derived because too many waited (see MAX_WAITING_POINTS). */
  skippedPoints = 0;

  constructor(
    private readonly visits: PlaceVisitTracker,
    private readonly connectivity: ConnectivityMonitor,
    private readonly speeding: SpeedingAnnouncer,
    private readonly crashes: CrashHandling,
    private readonly logger: Logger,
  ) {}

  pointsStored(points: readonly TrackingEvent[]): void {
    if (points.length === 0) return;
    for (const point of points) this.waiting.push(point);
    const excess = this.waiting.length - MAX_WAITING_POINTS;
    if (excess > 0) {
      this.skippedPoints += excess;
      this.logger.warn({ skipped: excess }, 'dispatch events fall behind; events of the oldest waiting points skipped');
      this.waiting.splice(0, excess);
    }
    this.kick();
  }

  /** CRASH_REPORTED, recorded before the device is answered (an alert must not be lost): throws when it fails. */
  crashStored(crash: {
    readonly id: string;
    readonly ambulanceId: string;
    readonly recordedAt: string;
  }): Promise<void> {
    return this.crashes.reported(crash);
  }

  /** Resolves once everything handed over so far is handled. */
  async drained(): Promise<void> {
    while (this.running) await this.running;
  }

  private kick(): void {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
  }

  private async run(): Promise<void> {
    while (this.waiting.length > 0) {
      const points = this.waiting;
      this.waiting = [];
      await this.handle({ points });
    }
  }

  /** Each kind of event is derived on its own: one failing (logged) does not hold back the others. */
  private async handle(work: Work): Promise<void> {
    const newest = new Map<string, TrackingEvent>();
    for (const point of work.points) newest.set(point.ambulanceId, point);
    await this.step('connectivity', async () => {
      for (const point of newest.values())
        await this.connectivity.reported(point.ambulanceId, new Date(point.recordedAt));
    });
    await this.step('places', () => this.visits.stored(work.points));
    await this.step('speeding', async () => {
      // Together, so their events are stored with one insert; each episode's id makes a repeat a duplicate.
      await Promise.all(work.points.map((point) => this.speeding.stored(point)));
    });
  }

  private async step(name: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.failures += 1;
      this.logger.warn({ err: (error as Error).message, step: name }, 'dispatch events not derived from stored data');
    }
  }
}
