import { Types } from 'mongoose';
import type { Logger } from 'pino';
import { speedStateOf } from '../domain/speed.state.js';
import { nextEpisode } from '../domain/speeding-episode.js';
import { trackingEventOf } from '../events/event.mappers.js';
import type { TrackingEvent } from '../events/event.payloads.js';
import type { EventPublisher } from '../events/event.publisher.js';
import { Topics } from '../events/topics.js';
import type { AmbulanceDoc, LastPositionDoc } from '../models/ambulance.model.js';
import type { Models } from '../models/models.js';
import type { SpeedingEpisodeDoc } from '../models/speeding-episode.model.js';
import type { TrackingDoc } from '../models/tracking.model.js';
import type { PositionReport } from './position.parse.js';

interface PendingPoint {
  readonly report: PositionReport;
  readonly receivedAt: Date;
  readonly resolve: (event: TrackingEvent) => void;
  readonly reject: (error: unknown) => void;
}

interface EpisodeChange {
  readonly ambulanceId: string;
  readonly startedAt: Date;
  endedAt: Date;
  maxSpeed: number;
  maxState: string;
  points: number;
}

/**
 * Stores tracking points in batches: requests that arrive while a write is in flight are written
 * together by the next one, so throughput grows with load while an idle server writes each point at once.
 * A request's promise settles only after its point is stored; events are published after that.
 * Batches run one at a time so speeding episodes follow the order points arrived in.
 */
export class TrackingWriter {
  private queue: PendingPoint[] = [];
  private flushing = false;
  private scheduled = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => {};

  constructor(
    private readonly models: Models,
    private readonly publisher: EventPublisher,
    private readonly maxBatch: number,
    private readonly logger: Logger,
  ) {}

  write(report: PositionReport): Promise<TrackingEvent> {
    return new Promise((resolve, reject) => {
      this.queue.push({ report, receivedAt: new Date(), resolve, reject });
      if (!this.flushing && !this.scheduled) {
        this.scheduled = true;
        this.idle = new Promise((done) => {
          this.markIdle = done;
        });
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Resolves once every accepted point has been written or refused. */
  drained(): Promise<void> {
    return this.flushing || this.scheduled ? this.idle : Promise.resolve();
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.writeBatch(batch);
      }
    } finally {
      this.flushing = false;
      this.markIdle();
    }
  }

  private async writeBatch(batch: PendingPoint[]): Promise<void> {
    let events: TrackingEvent[];
    try {
      events = await this.store(batch);
    } catch (error) {
      this.logger.warn(
        { err: error instanceof Error ? error.message : String(error), points: batch.length },
        'tracking batch not stored',
      );
      for (const point of batch) point.reject(error);
      return;
    }
    batch.forEach((point, index) => {
      const event = events[index] as TrackingEvent;
      point.resolve(event);
      this.publisher.publish(Topics.TrackingUpdated, event.ambulanceId, event);
    });
  }

  private async store(batch: PendingPoint[]): Promise<TrackingEvent[]> {
    const ambulanceIds = [...new Set(batch.map((point) => point.report.ambulanceId))];
    const known = await this.models.collections.ambulances
      .find<Pick<AmbulanceDoc, '_id' | 'current_speeding_episode_id'>>(
        { _id: { $in: ambulanceIds } },
        { projection: { current_speeding_episode_id: 1 } },
      )
      .toArray();
    const currentEpisode = new Map<string, Types.ObjectId | null>(ambulanceIds.map((id) => [id, null]));
    for (const ambulance of known)
      currentEpisode.set(String(ambulance._id), ambulance.current_speeding_episode_id ?? null);

    const episodes = new Map<string, EpisodeChange>();
    const latest = new Map<string, LastPositionDoc>();
    const docs: TrackingDoc[] = batch.map(({ report, receivedAt }) => {
      const state = speedStateOf(report.speed);
      const { episodeId } = nextEpisode(
        currentEpisode.get(report.ambulanceId) ?? null,
        state,
        () => new Types.ObjectId(),
      );
      currentEpisode.set(report.ambulanceId, episodeId);
      const doc: TrackingDoc = {
        _id: new Types.ObjectId(),
        ambulance_id: report.ambulanceId,
        location: { lat: report.latitude, lon: report.longitude },
        speed: report.speed,
        heading: report.heading,
        count_datetime: receivedAt,
        state,
        ...(episodeId ? { speeding_episode_id: episodeId, speed_above_80: episodeId } : {}),
        ...(episodeId && state === 'RED' ? { speed_above_120: episodeId } : {}),
      };
      if (episodeId) {
        const key = episodeId.toHexString();
        const change = episodes.get(key);
        if (change) {
          change.endedAt = receivedAt;
          change.maxSpeed = Math.max(change.maxSpeed, report.speed);
          if (state === 'RED') change.maxState = 'RED';
          change.points += 1;
        } else {
          episodes.set(key, {
            ambulanceId: report.ambulanceId,
            startedAt: receivedAt,
            endedAt: receivedAt,
            maxSpeed: report.speed,
            maxState: state,
            points: 1,
          });
        }
      }
      latest.set(report.ambulanceId, {
        tracking_id: doc._id,
        location: doc.location,
        speed: report.speed,
        heading: report.heading,
        state,
        count_datetime: receivedAt,
        speeding_episode_id: episodeId,
      });
      return doc;
    });

    await this.models.collections.trackings.insertMany(docs, { ordered: true });
    await Promise.all([this.updateAmbulances(latest, currentEpisode), this.updateEpisodes(episodes)]);
    return docs.map(trackingEventOf);
  }

  private async updateAmbulances(latest: Map<string, LastPositionDoc>, episodes: Map<string, Types.ObjectId | null>) {
    const now = new Date();
    await this.models.collections.ambulances.bulkWrite(
      [...latest].map(([ambulanceId, lastPosition]) => ({
        updateOne: {
          filter: { _id: ambulanceId },
          update: {
            $set: {
              last_position: lastPosition,
              current_speeding_episode_id: episodes.get(ambulanceId) ?? null,
              updatedAt: now,
            },
            $setOnInsert: { createdAt: now },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  private async updateEpisodes(episodes: Map<string, EpisodeChange>) {
    if (episodes.size === 0) return;
    await this.models.collections.speedingEpisodes.bulkWrite(
      [...episodes].map(([id, change]) => ({
        updateOne: {
          filter: { _id: new Types.ObjectId(id) },
          update: {
            $setOnInsert: {
              ambulance_id: change.ambulanceId,
              started_at: change.startedAt,
            } satisfies Partial<SpeedingEpisodeDoc>,
            $set: { ended_at: change.endedAt },
            // "RED" sorts after "ORANGE", so $max keeps the worst state seen.
            $max: { max_speed: change.maxSpeed, max_state: change.maxState },
            $inc: { point_count: change.points },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }
}
