import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { PositionReport } from '../domain/position-report.js';
import { speedStateOf } from '../domain/speed.state.js';
import { episodeAfterPoint, laterEpisodeChange } from '../domain/speeding-episode.rules.js';
import { trackingEventOf } from '../events/event.mappers.js';
import type { TrackingEvent } from '../events/event.payloads.js';
import type { EventPublisher } from '../events/event.publisher.js';
import { Topics } from '../events/topics.js';
import type { LastPositionDoc } from '../models/ambulance.model.js';
import type { Models } from '../models/models.js';
import { duplicateIndexesOf } from '../models/storage.errors.js';
import type { TrackingDoc } from '../models/tracking.model.js';
import { devicePointId } from '../models/tracking-point.id.js';
import type { WriteLane } from '../models/write.lane.js';
import type { AmbulanceProjector, EpisodeChange } from './ambulance.projector.js';
import { docOfEpisode, type Episode, EpisodeCache } from './episode.cache.js';

/** A stored point, or a point with the ambulance and device time of one already stored (not stored again). */
export type TrackingOutcome =
  | { readonly duplicate: true }
  | { readonly duplicate: false; readonly event: TrackingEvent };

const DUPLICATE: TrackingOutcome = Object.freeze({ duplicate: true });

interface PendingPoint {
  readonly report: PositionReport;
  readonly receivedAt: Date;
  /** Set for points with a device time: the same for a repeat of the same point. */
  readonly id: Types.ObjectId | null;
  readonly resolve: (outcome: TrackingOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Stores tracking points in batches: requests that arrive while a write is in flight are written
 * together by the next one, so throughput grows with load while an idle server writes each point at once.
 * A request's promise settles only after its point is stored; events are published after that.
 * Batches run one at a time, in arrival order, so speeding episodes follow the order points arrived in.
 *
 * The episode each ambulance is in comes from an EpisodeCache and moves on only once its points are stored.
 */
export class TrackingWriter {
  private queue: PendingPoint[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private readonly episodes: EpisodeCache;

  constructor(
    private readonly models: Models,
    private readonly publisher: EventPublisher,
    private readonly projector: AmbulanceProjector,
    private readonly lane: WriteLane,
    private readonly maxBatch: number,
    private readonly logger: Logger,
    /** Most ambulances whose episode is remembered; the least recently seen are forgotten past it. */
    episodeCacheSize = 10_000,
  ) {
    this.episodes = new EpisodeCache(models, episodeCacheSize);
  }

  /** How many ambulances' episodes are remembered now. */
  get rememberedAmbulances(): number {
    return this.episodes.size;
  }

  write(report: PositionReport): Promise<TrackingOutcome> {
    return new Promise((resolve, reject) => {
      const id = report.deviceTime ? devicePointId(report.ambulanceId, report.deviceTime) : null;
      this.queue.push({ report, receivedAt: new Date(), id, resolve, reject });
      this.kick();
    });
  }

  /** Resolves once every accepted point has been written or refused, and derived documents are up to date. */
  async drained(): Promise<void> {
    while (this.flushing || this.scheduled) await (this.flushing ?? new Promise((resolve) => setImmediate(resolve)));
    await this.projector.drained();
  }

  /** Starts a flush on the next turn of the event loop unless one is running; a finished flush re-checks the queue. */
  private kick(): void {
    if (this.flushing || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushing = this.flush().finally(() => {
        this.flushing = null;
        this.kick();
      });
    });
  }

  private async flush(): Promise<void> {
    let settled: Promise<void> = Promise.resolve();
    while (this.queue.length > 0) {
      const received = this.queue.splice(0, this.maxBatch);
      const repeats = new Map<PendingPoint, PendingPoint[]>();
      let outcomes: TrackingOutcome[];
      let batch: PendingPoint[] = received;
      try {
        // Reads need no turn in the write lane.
        batch = await this.withoutRepeats(received, repeats);
        const episodes = await this.episodes.episodesOf([...new Set(batch.map((point) => point.report.ambulanceId))]);
        outcomes = await this.lane.run(() => this.store(batch, episodes));
      } catch (error) {
        this.logger.warn({ err: (error as Error).message, points: received.length }, 'tracking batch not stored');
        for (const point of batch) {
          point.reject(error);
          for (const repeat of repeats.get(point) ?? []) repeat.reject(error);
        }
        continue;
      }
      // Devices are answered and events published on the event loop's next turn, once the next batch is on
      // its way to the database: the database then works while this batch's answers are written.
      // Immediates run in order, so events keep the order points were stored in.
      settled = new Promise((resolve) =>
        setImmediate(() => {
          try {
            this.settle(batch, outcomes, repeats);
          } finally {
            resolve();
          }
        }),
      );
    }
    await settled;
  }

  private settle(
    batch: readonly PendingPoint[],
    outcomes: readonly TrackingOutcome[],
    repeats: ReadonlyMap<PendingPoint, PendingPoint[]>,
  ): void {
    // Every device is answered before any event goes out, so nothing a publish does can leave one waiting.
    batch.forEach((point, index) => {
      point.resolve(outcomes[index] as TrackingOutcome);
      for (const repeat of repeats.get(point) ?? []) repeat.resolve(DUPLICATE);
    });
    for (const outcome of outcomes) {
      if (!outcome.duplicate) this.publisher.publish(Topics.TrackingUpdated, outcome.event.ambulanceId, outcome.event);
    }
  }

  /**
   * Answers points already stored (same ambulance and device time) as duplicates at once, and holds back
   * repeats within the batch until the first of them is stored (they share its fate: never "duplicate" for a
   * point that then failed to store). Returns the points to store.
   */
  private async withoutRepeats(
    received: readonly PendingPoint[],
    repeats: Map<PendingPoint, PendingPoint[]>,
  ): Promise<PendingPoint[]> {
    const firstById = new Map<string, PendingPoint>();
    const unique: PendingPoint[] = [];
    for (const point of received) {
      const key = point.id?.toHexString();
      const first = key === undefined ? undefined : firstById.get(key);
      if (first) {
        const held = repeats.get(first);
        if (held) held.push(point);
        else repeats.set(first, [point]);
        continue;
      }
      if (key !== undefined) firstById.set(key, point);
      unique.push(point);
    }
    if (firstById.size === 0) return unique;
    const stored = await this.models.collections.trackings
      .find({ _id: { $in: unique.flatMap((point) => (point.id ? [point.id] : [])) } }, { projection: { _id: 1 } })
      .toArray();
    const storedIds = new Set(stored.map((doc) => doc._id.toHexString()));
    return unique.filter((point) => {
      if (!point.id || !storedIds.has(point.id.toHexString())) return true;
      point.resolve(DUPLICATE);
      for (const repeat of repeats.get(point) ?? []) repeat.resolve(DUPLICATE);
      return false;
    });
  }

  private async store(
    batch: readonly PendingPoint[],
    loaded: ReadonlyMap<string, Episode | null>,
  ): Promise<TrackingOutcome[]> {
    const episodeOf = new Map<string, Episode | null>();
    const touchedEpisodes = new Map<string, EpisodeChange>();
    const latest = new Map<string, LastPositionDoc>();
    const docs = batch.map(({ report, receivedAt, id }): TrackingDoc => {
      const state = speedStateOf(report.speed);
      const current = episodeOf.has(report.ambulanceId)
        ? (episodeOf.get(report.ambulanceId) ?? null)
        : (loaded.get(report.ambulanceId) ?? null);
      const { episode, opened } = episodeAfterPoint(
        current,
        report.ambulanceId,
        { speed: report.speed, state, at: receivedAt },
        () => new Types.ObjectId(),
      );
      const episodeId = episode?.id ?? null;
      if (episode) {
        const key = episode.id.toHexString();
        touchedEpisodes.set(
          key,
          laterEpisodeChange(touchedEpisodes.get(key), { episode: docOfEpisode(episode), isNew: opened }),
        );
      }
      episodeOf.set(report.ambulanceId, episode);
      const doc: TrackingDoc = {
        _id: id ?? new Types.ObjectId(),
        ambulance_id: report.ambulanceId,
        location: { lat: report.latitude, lon: report.longitude },
        speed: report.speed,
        heading: report.heading,
        count_datetime: receivedAt,
        state,
        ...(episodeId ? { speeding_episode_id: episodeId, speed_above_80: episodeId } : {}),
        ...(episodeId && state === 'RED' ? { speed_above_120: episodeId } : {}),
        ...(report.deviceTime ? { device_timestamp: report.deviceTime } : {}),
      };
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

    // Unordered, so a point another instance stored a moment ago (duplicate `_id`) fails alone.
    const raced = new Set<number>();
    try {
      await this.models.collections.trackings.insertMany(docs, { ordered: false });
    } catch (error) {
      const duplicates = duplicateIndexesOf(error);
      if (!duplicates) throw error;
      for (const index of duplicates) raced.add(index);
    }
    // Only now that the points are stored does the remembered episode state move on.
    for (const [id, episode] of episodeOf) this.episodes.remember(id, episode);
    this.projector.record(latest, touchedEpisodes);
    return docs.map((doc, index) => (raced.has(index) ? DUPLICATE : { duplicate: false, event: trackingEventOf(doc) }));
  }
}
