import { Types } from 'mongoose';
import type { PositionReport } from '../domain/position-report.js';
import { metresPerSecondToKmh, speedStateOf } from '../domain/speed.state.js';
import { crashEventOf } from '../events/event.mappers.js';
import type { CrashEvent } from '../events/event.payloads.js';
import type { EventPublisher } from '../events/event.publisher.js';
import { Topics } from '../events/topics.js';
import type { CrashDoc } from '../models/crash.model.js';
import type { Models } from '../models/models.js';
import type { WriteLane } from '../models/write.lane.js';
import { staticMapUrl } from './static-map.url.js';

export type CrashOutcome = { readonly duplicate: true } | { readonly duplicate: false; readonly event: CrashEvent };

/**
 * Stores crash notifications (speed arrives in m/s) and suppresses repeats from the same ambulance
 * within the duplicate window. The check reads the newest stored crash rather than holding a marker,
 * so a notification that failed to store is never mistaken for a duplicate when the device retries.
 */
export class CrashService {
  constructor(
    private readonly models: Models,
    private readonly publisher: EventPublisher,
    private readonly lane: WriteLane,
    private readonly options: { duplicateWindowSeconds: number; googleMapKey: string | undefined },
  ) {}

  async report(report: PositionReport): Promise<CrashOutcome> {
    const now = new Date();
    if (this.options.duplicateWindowSeconds > 0) {
      const since = new Date(now.getTime() - this.options.duplicateWindowSeconds * 1000);
      const recent = await this.models.collections.crashes.findOne(
        { ambulance_id: report.ambulanceId, count_datetime: { $gt: since } },
        { projection: { _id: 1 } },
      );
      if (recent) return { duplicate: true };
    }
    const speed = metresPerSecondToKmh(report.speed);
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
    };
    // The fleet document first: if the crash insert then fails the device gets 503 and its retry is
    // not mistaken for a duplicate, since duplicates are judged by stored crashes only.
    await this.lane.run(async () => {
      await this.models.collections.ambulances.updateOne(
        { _id: report.ambulanceId },
        { $set: { last_crash_at: now }, $setOnInsert: { createdAt: now } },
        { upsert: true },
      );
      await this.models.collections.crashes.insertOne(doc);
    });
    const event = crashEventOf(doc);
    this.publisher.publish(Topics.CrashReported, event.ambulanceId, event);
    return { duplicate: false, event };
  }
}
