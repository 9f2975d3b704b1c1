import { LRUCache } from 'lru-cache';
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { PositionReport } from '../domain/position-report.js';
import { speedStateOf } from '../domain/speed.state.js';
import { nextEpisode } from '../domain/speeding-episode.js';
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
import type { AmbulanceProjector, EpisodeChange, EpisodeSnapshot } from './ambulance.projector.js';

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
 * The episode each ambulance is in is remembered here (read from the database on first sight, and again
 * after the ambulance was forgotten: only the most recently seen ambulances are kept, so ids made up by a
 * caller cannot grow memory without bound), so with several instances an episode stays whole as long as
 * one instance handles an ambulance's points.
 */
export class TrackingWriter {
  private queue: PendingPoint[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  /** Ambulances seen lately and the episode each is in (null: none); bounded, reloaded on a miss. */
  private readonly currentEpisode: LRUCache<string, { readonly episode: EpisodeSnapshot | null }>;

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
    this.currentEpisode = new LRUCache({
      max: episodeCacheSize,
      dispose: (_value, _id, reason) => {
        if (reason === 'evict') this.hasForgotten = true;
      },
    });
  }

  /** Once an ambulance was forgotten, a miss may be one whose fleet document is not projected yet. */
  private hasForgotten = false;

  /** How many ambulances' episodes are remembered now. */
  get rememberedAmbulances(): number {
    return this.currentEpisode.size;
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
        const episodes = await this.loadEpisodes([...new Set(batch.map((point) => point.report.ambulanceId))]);
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

  /**
   * On first sight of a known ambulance, finds the episode it is in from its newest stored point: the points are
   * the truth, while the fleet and episode documents are projected later and may lag (or be lost with a
   * crashed process). The summary comes from the episode document, or from the episode's points when that
   * document was not written yet.
   */
  private async loadEpisodes(ambulanceIds: readonly string[]): Promise<Map<string, EpisodeSnapshot | null>> {
    // The batch keeps its own copy: the cache may forget an ambulance while the batch is being stored.
    const episodes = new Map<string, EpisodeSnapshot | null>();
    const unknown: string[] = [];
    for (const id of ambulanceIds) {
      const remembered = this.currentEpisode.get(id);
      if (remembered) episodes.set(id, remembered.episode);
      else unknown.push(id);
    }
    if (unknown.length === 0) return episodes;
    const { ambulances, trackings, speedingEpisodes } = this.models.collections;
    // One query tells which ambulances are new (no fleet document): they are in no episode. Once ambulances were
    // forgotten, one may come back before its fleet document is projected: then each is looked up by its points.
    const known = this.hasForgotten
      ? unknown.map((id) => ({ _id: id }))
      : await ambulances.find({ _id: { $in: unknown } }, { projection: { _id: 1 } }).toArray();
    const knownIds = new Set(known.map((doc) => String(doc._id)));
    for (const id of unknown) if (!knownIds.has(id)) episodes.set(id, null);
    await Promise.all(
      [...knownIds].map(async (id) => {
        const newest = await trackings.findOne(
          { ambulance_id: id },
          { sort: { count_datetime: -1, _id: -1 }, projection: { speeding_episode_id: 1 } },
        );
        const episodeId = newest?.speeding_episode_id;
        if (!episodeId) {
          episodes.set(id, null);
          return;
        }
        const stored = await speedingEpisodes.findOne({ _id: episodeId });
        episodes.set(id, stored ?? (await this.summariseEpisode(id, episodeId)));
      }),
    );
    for (const id of unknown) this.currentEpisode.set(id, { episode: episodes.get(id) ?? null });
    return episodes;
  }

  private async summariseEpisode(ambulanceId: string, episodeId: Types.ObjectId): Promise<EpisodeSnapshot> {
    const points = await this.models.collections.trackings
      .find({ speeding_episode_id: episodeId }, { projection: { speed: 1, state: 1, count_datetime: 1 } })
      .toArray();
    const times = points.map((point) => point.count_datetime.getTime());
    return {
      _id: episodeId,
      ambulance_id: ambulanceId,
      started_at: new Date(Math.min(...times)),
      ended_at: new Date(Math.max(...times)),
      max_speed: Math.max(...points.map((point) => Number(point.speed ?? 0))),
      max_state: points.some((point) => point.state === 'RED') ? 'RED' : 'ORANGE',
      point_count: points.length,
    };
  }

  private async store(
    batch: readonly PendingPoint[],
    loaded: ReadonlyMap<string, EpisodeSnapshot | null>,
  ): Promise<TrackingOutcome[]> {
    const episodeOf = new Map<string, EpisodeSnapshot | null>();
    const touchedEpisodes = new Map<string, EpisodeChange>();
    const latest = new Map<string, LastPositionDoc>();
    const docs = batch.map(({ report, receivedAt, id }): TrackingDoc => {
      const state = speedStateOf(report.speed);
      const previous = episodeOf.has(report.ambulanceId)
        ? (episodeOf.get(report.ambulanceId) ?? null)
        : (loaded.get(report.ambulanceId) ?? null);
      const { episodeId, opened } = nextEpisode(previous?._id ?? null, state, () => new Types.ObjectId());
      let episode: EpisodeSnapshot | null = null;
      if (episodeId) {
        const base: EpisodeSnapshot =
          opened || !previous
            ? {
                _id: episodeId,
                ambulance_id: report.ambulanceId,
                started_at: receivedAt,
                ended_at: receivedAt,
                max_speed: report.speed,
                max_state: state,
                point_count: 0,
              }
            : previous;
        episode = {
          ...base,
          ended_at: receivedAt,
          max_speed: Math.max(base.max_speed, report.speed),
          max_state: base.max_state === 'RED' || state === 'RED' ? 'RED' : 'ORANGE',
          point_count: base.point_count + 1,
        };
        const key = episodeId.toHexString();
        touchedEpisodes.set(key, { episode, isNew: opened || (touchedEpisodes.get(key)?.isNew ?? false) });
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
    for (const [id, episode] of episodeOf) this.currentEpisode.set(id, { episode });
    this.projector.record(latest, touchedEpisodes);
    return docs.map((doc, index) => (raced.has(index) ? DUPLICATE : { duplicate: false, event: trackingEventOf(doc) }));
  }
}
