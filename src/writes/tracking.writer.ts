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
import type { TrackingDoc } from '../models/tracking.model.js';
import type { WriteLane } from '../models/write.lane.js';
import type { AmbulanceProjector, EpisodeChange } from './ambulance.projector.js';
import { docOfEpisode, type Episode, EpisodeCache } from './episode.cache.js';
import {
  type DevicePointIds,
  devicePointIdsOf,
  type Placement,
  placeReports,
  type ReportToPlace,
  type StoredPoint,
} from './point.placement.js';
import { insertSequenced } from './sequenced.insert.js';

/** A stored point, or a point that repeats a stored one exactly (same ambulance, device time and reading). */
export type TrackingOutcome =
  | { readonly duplicate: true }
  | { readonly duplicate: false; readonly event: TrackingEvent };

const DUPLICATE: TrackingOutcome = Object.freeze({ duplicate: true });

/** What the writer settles a point with: its outcome, or the error its device is answered with (nothing stored). */
type PointResult = TrackingOutcome | { readonly failed: unknown };

/** A point to store, under which id, and whether another report contradicts it. */
interface PlacedPoint {
  /** The request itself: the key its repeats are held under. */
  readonly pending: PendingPoint;
  readonly id: Types.ObjectId;
  readonly conflict: boolean;
}

interface PendingPoint {
  readonly report: PositionReport;
  readonly receivedAt: Date;
  /** Set for points with a device time: the same for a repeat of the same report. */
  readonly ids: DevicePointIds | null;
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
  private readonly storedListeners: Array<(events: readonly TrackingEvent[]) => void> = [];

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

  /** Calls `listener` with the events of each stored batch (no duplicates), after they are published. */
  onStored(listener: (events: readonly TrackingEvent[]) => void): void {
    this.storedListeners.push(listener);
  }

  write(report: PositionReport): Promise<TrackingOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ report, receivedAt: new Date(), ids: devicePointIdsOf(report), resolve, reject });
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
      let outcomes: PointResult[];
      let batch: readonly PendingPoint[] = received;
      try {
        // Reads need no turn in the write lane.
        const placed = await this.withoutRepeats(received, repeats);
        batch = placed.points.map((point) => point.pending);
        const episodes = await this.episodes.episodesOf([...new Set(batch.map((point) => point.report.ambulanceId))]);
        outcomes = await this.lane.run(() => this.store(placed.points, episodes, placed.contradicted));
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
    outcomes: readonly PointResult[],
    repeats: ReadonlyMap<PendingPoint, PendingPoint[]>,
  ): void {
    // Every device is answered before any event goes out, so nothing a publish does can leave one waiting.
    batch.forEach((point, index) => {
      const outcome = outcomes[index] as PointResult;
      if ('failed' in outcome) {
        point.reject(outcome.failed);
        for (const repeat of repeats.get(point) ?? []) repeat.reject(outcome.failed);
        return;
      }
      point.resolve(outcome);
      for (const repeat of repeats.get(point) ?? []) repeat.resolve(DUPLICATE);
    });
    const stored: TrackingEvent[] = [];
    for (const outcome of outcomes) {
      if ('failed' in outcome || outcome.duplicate) continue;
      this.publisher.publish(Topics.TrackingUpdated, outcome.event.ambulanceId, outcome.event);
      stored.push(outcome.event);
    }
    if (stored.length > 0) for (const listener of this.storedListeners) listener(stored);
  }

  /**
   * Answers points that repeat a stored one exactly as duplicates at once, and holds back repeats within the
   * batch until the first of them is stored (they share its fate: never "duplicate" for a point that then failed
   * to store). Returns the points to store, placed (see placeReports), and the stored points they contradict.
   */
  private async withoutRepeats(
    received: readonly PendingPoint[],
    repeats: Map<PendingPoint, PendingPoint[]>,
  ): Promise<{ points: PlacedPoint[]; contradicted: Types.ObjectId[] }> {
    const firstByReport = new Map<string, PendingPoint>();
    const unique: PendingPoint[] = [];
    for (const point of received) {
      const key = point.ids?.conflicting.toHexString();
      const first = key === undefined ? undefined : firstByReport.get(key);
      if (first) {
        const held = repeats.get(first);
        if (held) held.push(point);
        else repeats.set(first, [point]);
        continue;
      }
      if (key !== undefined) firstByReport.set(key, point);
      unique.push(point);
    }
    const { placements, contradicted } = placeReports(
      unique.map(reportToPlace),
      firstByReport.size === 0 ? new Map() : await this.storedUnder(unique),
    );
    const points = unique.flatMap((point, index): PlacedPoint[] => {
      const placement = placements[index] as Placement;
      if (!placement.duplicate) return [{ pending: point, id: placement.id, conflict: placement.conflict }];
      point.resolve(DUPLICATE);
      for (const repeat of repeats.get(point) ?? []) repeat.resolve(DUPLICATE);
      return [];
    });
    return { points, contradicted };
  }

  /** The stored points under any id the given points may be stored under. */
  private async storedUnder(points: readonly PendingPoint[]): Promise<Map<string, StoredPoint>> {
    const stored = await this.models.collections.trackings
      .find(
        { _id: { $in: points.flatMap(({ ids }) => (ids ? [ids.first, ids.conflicting] : [])) } },
        { projection: { location: 1, speed: 1, heading: 1, conflict: 1 } },
      )
      .toArray();
    return new Map(stored.map((doc) => [doc._id.toHexString(), doc]));
  }

  private async store(
    batch: readonly PlacedPoint[],
    loaded: ReadonlyMap<string, Episode | null>,
    contradicted: readonly Types.ObjectId[],
  ): Promise<PointResult[]> {
    const episodeOf = new Map<string, Episode | null>();
    const touchedEpisodes = new Map<string, EpisodeChange>();
    const docs = batch.map(({ pending: { report, receivedAt }, id, conflict }): TrackingDoc => {
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
      return {
        _id: id,
        ambulance_id: report.ambulanceId,
        location: { lat: report.latitude, lon: report.longitude },
        speed: report.speed,
        heading: report.heading,
        count_datetime: receivedAt,
        state,
        ...(episodeId ? { speeding_episode_id: episodeId, speed_above_80: episodeId } : {}),
        ...(episodeId && state === 'RED' ? { speed_above_120: episodeId } : {}),
        ...(report.deviceTime ? { device_timestamp: report.deviceTime } : {}),
        ...(conflict ? { conflict: true } : {}),
      };
    });
    const { duplicates, failed } = await this.insert(batch, docs, contradicted);
    // Only now that the points are stored does the remembered episode state move on.
    for (const [id, episode] of episodeOf) this.episodes.remember(id, episode);
    const stored = docs.filter((_doc, index) => !duplicates.has(index) && !failed.has(index));
    this.projector.record(
      new Map(stored.map((doc) => [doc.ambulance_id as string, lastPositionOf(doc)])),
      touchedEpisodes,
    );
    const conflicts = stored.filter((doc) => doc.conflict);
    if (conflicts.length > 0) {
      this.logger.warn(
        { ambulanceIds: [...new Set(conflicts.map((doc) => doc.ambulance_id))], points: conflicts.length },
        'tracking reports contradict others with the same ambulance and device time; all kept and marked conflict',
      );
    }
    return docs.map((doc, index) => {
      if (failed.has(index)) return { failed: failed.get(index) };
      return duplicates.has(index) ? DUPLICATE : { duplicate: false, event: trackingEventOf(doc) };
    });
  }

  /**
   * Marks the stored points the batch contradicts, then inserts the batch; returns the indexes of the points
   * that turned out to be duplicates. Marks go first: a batch that then fails is retried by its devices, and
   * its points are no longer new to the marks. Unordered, so a point another instance stored a moment ago
   * (same `_id`) fails alone: one that claimed its ambulance and device time is then placed again against
   * what was stored. If that second round fails, only its points fail (their devices retry): the rest of the
   * batch is stored and goes on to be answered, projected and published.
   */
  private async insert(
    batch: readonly PlacedPoint[],
    docs: TrackingDoc[],
    contradicted: readonly Types.ObjectId[],
  ): Promise<{ duplicates: Set<number>; failed: Map<number, unknown> }> {
    await this.markConflicts(contradicted);
    const duplicates = new Set(await insertSequenced(this.models, 'trackings', docs));
    const failed = new Map<number, unknown>();
    // Points that claimed their ambulance and device time; one under a conflict id raced an identical report.
    const raced = [...duplicates].filter((index) => {
      const { id, pending } = batch[index] as PlacedPoint;
      return pending.ids?.first.equals(id) === true;
    });
    if (raced.length === 0) return { duplicates, failed };
    try {
      await this.placeRacedAgain(batch, docs, raced, duplicates);
    } catch (error) {
      for (const index of raced) {
        duplicates.delete(index);
        failed.set(index, error);
      }
    }
    return { duplicates, failed };
  }

  /** Places the raced points against what the other instance stored, and inserts those that are still new. */
  private async placeRacedAgain(
    batch: readonly PlacedPoint[],
    docs: TrackingDoc[],
    raced: readonly number[],
    duplicates: Set<number>,
  ): Promise<void> {
    const points = raced.map((index) => (batch[index] as PlacedPoint).pending);
    const placed = placeReports(points.map(reportToPlace), await this.storedUnder(points));
    const marks = [...placed.contradicted];
    const retried = raced.flatMap((index, at) => {
      const placement = placed.placements[at] as Placement;
      const doc = docs[index] as TrackingDoc;
      if (placement.duplicate) {
        // Stored by another instance, but contradicted by a later report of this batch.
        if (doc.conflict) marks.push(doc._id);
        return [];
      }
      docs[index] = { ...doc, _id: placement.id, ...(placement.conflict ? { conflict: true } : {}) };
      duplicates.delete(index);
      return [index];
    });
    await this.markConflicts(marks);
    const again = await insertSequenced(
      this.models,
      'trackings',
      retried.map((index) => docs[index] as TrackingDoc),
    );
    for (const at of again) duplicates.add(retried[at] as number);
  }

  private async markConflicts(ids: readonly Types.ObjectId[]): Promise<void> {
    if (ids.length === 0) return;
    await this.models.collections.trackings.bulkWrite(
      ids.map((_id) => ({ updateOne: { filter: { _id }, update: { $set: { conflict: true } } } })),
    );
  }
}

function reportToPlace({ report, ids }: PendingPoint): ReportToPlace {
  return { ids, reading: report };
}

function lastPositionOf(doc: TrackingDoc): LastPositionDoc {
  return {
    tracking_id: doc._id,
    location: doc.location,
    speed: doc.speed as number,
    heading: doc.heading as number,
    state: doc.state as string,
    count_datetime: doc.count_datetime,
    speeding_episode_id: doc.speeding_episode_id ?? null,
    ...(doc.conflict ? { conflict: true } : {}),
  };
}
