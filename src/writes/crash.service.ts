import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { PositionReport } from '../domain/position-report.js';
import { isConflictingCrash, isSameReading } from '../domain/repeated-report.rules.js';
import { metresPerSecondToKmh, speedStateOf } from '../domain/speed.state.js';
import { crashEventOf } from '../events/event.mappers.js';
import type { CrashEvent } from '../events/event.payloads.js';
import type { EventPublisher } from '../events/event.publisher.js';
import { Topics } from '../events/topics.js';
import type { CrashDoc } from '../models/crash.model.js';
import type { Models } from '../models/models.js';
import type { WriteLane } from '../models/write.lane.js';
import { insertSequenced } from './sequenced.insert.js';
import { staticMapUrl } from './static-map.url.js';

type RecentCrash = Pick<CrashDoc, '_id' | 'location' | 'speed' | 'heading' | 'conflict' | 'count_datetime'>;

/** A stored crash, as the listeners of `onStored` hear of it. */
export interface StoredCrash {
  readonly id: string;
  readonly ambulanceId: string;
  readonly recordedAt: string;
}

export type CrashOutcome = { readonly duplicate: true } | { readonly duplicate: false; readonly event: CrashEvent };

/**
 * Stores crash notifications (speed arrives in m/s) and suppresses exact repeats: the same reading (position,
 * speed, heading) from the same ambulance within the duplicate window, which is what a device retry sends.
 * Any other notification is stored and announced: without device keys anyone can post for any ambulance, so a
 * forged crash must never hide the genuine one. Crashes of one ambulance within the window that lie more than
 * CRASH_CONFLICT_DISTANCE_METRES apart contradict each other and are all marked `conflict`. The check reads the
 * stored crashes rather than holding a marker, so a notification that failed to store is never mistaken for a
 * duplicate when the device retries.
 */
export class CrashService {
  private readonly storedListeners: Array<(crash: StoredCrash) => Promise<void>> = [];

  constructor(
    private readonly models: Models,
    private readonly publisher: EventPublisher,
    private readonly lane: WriteLane,
    private readonly options: { duplicateWindowSeconds: number; googleMapKey: string | undefined },
    private readonly logger: Logger,
  ) {}

  /**
   * Awaits `listener` for every stored crash, after it is published and before the device is answered; a listener
   * that fails fails the request (the device retries). A retry that repeats a stored crash calls the listeners
   * again, so what they derive is done at least once (they must be idempotent).
   */
  onStored(listener: (crash: StoredCrash) => Promise<void>): void {
    this.storedListeners.push(listener);
  }

  private async notifyStored(crash: StoredCrash): Promise<void> {
    for (const listener of this.storedListeners) await listener(crash);
  }

  async report(report: PositionReport): Promise<CrashOutcome> {
    const now = new Date();
    const recent = await this.recentCrashes(report.ambulanceId, now);
    const speed = metresPerSecondToKmh(report.speed);
    const reading = { latitude: report.latitude, longitude: report.longitude, speed, heading: report.heading };
    const readingOf = (crash: RecentCrash) => ({
      latitude: crash.location.lat,
      longitude: crash.location.lon,
      speed: crash.speed ?? Number.NaN,
      heading: Number(crash.heading),
    });
    const repeated = recent.find((crash) => isSameReading(readingOf(crash), reading));
    if (repeated) {
      await this.notifyStored({
        id: repeated._id.toHexString(),
        ambulanceId: report.ambulanceId,
        recordedAt: repeated.count_datetime.toISOString(),
      });
      return { duplicate: true };
    }
    const contradicted = recent.filter((crash) => isConflictingCrash(readingOf(crash), reading));
    const doc: CrashDoc = {
      _id: new Types.ObjectId(),
      ambulance_id: report.ambulanceId,
      location: { lat: report.latitude, lon: report.longitude },
      speed,
      heading: report.heading,
      count_datetime: now,
      state: speedStateOf(speed),
      location_detail: {
        address: null,
        image: this.options.googleMapKey
          ? staticMapUrl(this.options.googleMapKey, report.latitude, report.longitude)
          : null,
      },
      ...(contradicted.length > 0 ? { conflict: true } : {}),
    };
    const toMark = contradicted.filter((crash) => crash.conflict !== true).map((crash) => crash._id);
    // The fleet document and the marks first: if the crash insert then fails the device gets 503 and its retry
    // is not mistaken for a duplicate, since duplicates are judged by stored crashes only.
    await this.lane.run(async () => {
      await this.models.collections.ambulances.updateOne(
        { _id: report.ambulanceId },
        { $set: { last_crash_at: now }, $setOnInsert: { createdAt: now } },
        { upsert: true },
      );
      if (toMark.length > 0) {
        await this.models.collections.crashes.bulkWrite(
          toMark.map((_id) => ({ updateOne: { filter: { _id }, update: { $set: { conflict: true } } } })),
        );
      }
      await insertSequenced(this.models, 'crashes', [doc]);
    });
    if (doc.conflict) {
      this.logger.warn(
        { ambulanceId: report.ambulanceId, crashId: doc._id.toHexString(), contradicts: contradicted.length },
        'crash reported far from another crash of the same ambulance within the duplicate window; both kept and marked conflict',
      );
    }
    const event = crashEventOf(doc);
    this.publisher.publish(Topics.CrashReported, event.ambulanceId, event);
    await this.notifyStored(event);
    return { duplicate: false, event };
  }

  /** Crashes of the ambulance stored within the duplicate window (none when the window is 0). */
  private async recentCrashes(ambulanceId: string, now: Date): Promise<RecentCrash[]> {
    if (this.options.duplicateWindowSeconds <= 0) return [];
    const since = new Date(now.getTime() - this.options.duplicateWindowSeconds * 1000);
    return this.models.collections.crashes
      .find(
        { ambulance_id: ambulanceId, count_datetime: { $gt: since } },
        { projection: { _id: 1, location: 1, speed: 1, heading: 1, conflict: 1, count_datetime: 1 } },
      )
      .toArray();
  }
}
