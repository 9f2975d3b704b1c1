import type { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { LastPositionDoc } from '../models/ambulance.model.js';
import type { Models } from '../models/models.js';
import type { SpeedingEpisodeDoc } from '../models/speeding-episode.model.js';
import { isDuplicateKeyError } from '../models/storage.errors.js';
import type { WriteLane } from '../models/write.lane.js';

export interface AmbulanceChange {
  readonly lastPosition: LastPositionDoc;
  readonly currentEpisodeId: Types.ObjectId | null;
}

/** The whole, current state of an episode (absolute values, so writing it twice is harmless). */
export type EpisodeSnapshot = SpeedingEpisodeDoc;

interface EpisodeChange {
  readonly episode: EpisodeSnapshot;
  /** Not yet in the database: insert rather than update. */
  isNew: boolean;
}

type Operation =
  | { readonly kind: 'ambulance'; readonly id: string; readonly change: AmbulanceChange }
  | { readonly kind: 'episode'; readonly id: string; readonly change: EpisodeChange };

const RETRY_DELAY_MS = 500;
/** Projection may take at most this share of the write lane: a round that took T waits T × (1/share − 1). */
const MAX_LANE_SHARE = 0.25;
/**
 * Time one background turn in the write lane may take before it yields: a device's insert waits at most
 * about this long behind projection (plus one update). About 20 updates on MongoDB, one or two on FerretDB.
 */
const TURN_BUDGET_MS = 5;

/**
 * Keeps the derived documents (each ambulance's latest position, speeding-episode summaries) up to date
 * from stored points, off the request path. Changes recorded while a round waits or runs are merged, so
 * under load each ambulance costs one update per interval instead of one per point; an idle server
 * projects a point at once. Tracking points themselves are always stored before a device gets 200.
 * Episodes are inserted once and then updated by _id with absolute values: upserts with $max/$inc make
 * FerretDB scan the whole collection.
 */
export class AmbulanceProjector {
  private ambulances = new Map<string, AmbulanceChange>();
  private episodes = new Map<string, EpisodeChange>();
  private running: Promise<void> | null = null;
  private waitTimer: NodeJS.Timeout | null = null;
  private nextRoundAt = 0;
  failedRounds = 0;

  /**
   * `intervalMs`: the least time between the starts of two rounds. Under load the gap also grows with the
   * time a round took, so projection never takes more than a quarter of the database writes.
   */
  constructor(
    private readonly models: Models,
    private readonly lane: WriteLane,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  record(ambulances: ReadonlyMap<string, AmbulanceChange>, episodes: ReadonlyMap<string, EpisodeChange>): void {
    for (const [id, change] of ambulances) this.ambulances.set(id, change);
    for (const [id, change] of episodes) this.mergeEpisode(id, change);
    this.start();
  }

  /**
   * Writes everything recorded so far now, without waiting for the interval. Resolves when it is written,
   * or when a write failed (it is then retried later).
   */
  async drained(): Promise<void> {
    while (this.running || this.ambulances.size > 0 || this.episodes.size > 0) {
      if (this.waitTimer) {
        clearTimeout(this.waitTimer);
        this.waitTimer = null;
      }
      const failuresBefore = this.failedRounds;
      this.start(true);
      if (this.running) await this.running;
      // A failed round waits to retry; do not spin on it.
      if (this.failedRounds !== failuresBefore) return;
    }
  }

  stop(): void {
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.waitTimer = null;
  }

  private mergeEpisode(id: string, change: EpisodeChange): void {
    const pending = this.episodes.get(id);
    this.episodes.set(id, { episode: change.episode, isNew: change.isNew || (pending?.isNew ?? false) });
  }

  private start(now = false): void {
    if (this.running || this.waitTimer) return;
    if (this.ambulances.size === 0 && this.episodes.size === 0) return;
    const wait = now ? 0 : this.nextRoundAt - Date.now();
    if (wait > 0) {
      this.waitTimer = setTimeout(() => {
        this.waitTimer = null;
        this.start();
      }, wait);
      return;
    }
    const startedAt = Date.now();
    this.running = this.round(startedAt).finally(() => {
      this.running = null;
      this.start();
    });
  }

  private async round(startedAt: number): Promise<void> {
    const operations: Operation[] = [
      ...[...this.episodes].map(([id, change]) => ({ kind: 'episode' as const, id, change })),
      ...[...this.ambulances].map(([id, change]) => ({ kind: 'ambulance' as const, id, change })),
    ];
    this.ambulances = new Map();
    this.episodes = new Map();
    let done = 0;
    while (done < operations.length) {
      const from = done;
      try {
        done = await this.lane.run(() => this.writeTurn(operations, from), 'background');
      } catch (error) {
        this.failedRounds += 1;
        this.logger.warn({ err: (error as Error).message }, 'ambulance positions not updated; will retry');
        this.requeue(operations.slice(from));
        this.nextRoundAt = Date.now() + RETRY_DELAY_MS;
        return;
      }
    }
    const took = Date.now() - startedAt;
    this.nextRoundAt = startedAt + Math.max(this.intervalMs, took / MAX_LANE_SHARE);
  }

  /** Puts back what was not written; changes recorded meanwhile are newer and win. */
  private requeue(operations: readonly Operation[]): void {
    for (const operation of operations) {
      if (operation.kind === 'ambulance') {
        if (!this.ambulances.has(operation.id)) this.ambulances.set(operation.id, operation.change);
      } else {
        const newer = this.episodes.get(operation.id);
        if (newer) newer.isNew ||= operation.change.isNew;
        else this.episodes.set(operation.id, operation.change);
      }
    }
  }

  /**
   * Writes operations from `from` on until the turn's time budget is spent (at least one); returns the
   * index of the first one not written. Operations before a failure are written; the failed one is retried.
   */
  private async writeTurn(operations: readonly Operation[], from: number): Promise<number> {
    const started = performance.now();
    const now = new Date();
    let index = from;
    while (index < operations.length && (index === from || performance.now() - started < TURN_BUDGET_MS)) {
      const operation = operations[index] as Operation;
      if (operation.kind === 'ambulance') {
        await this.writeAmbulance(operation.id, operation.change, now);
      } else {
        await this.writeEpisode(operation.change);
      }
      index += 1;
    }
    return index;
  }

  /**
   * Moves an ambulance's latest position forward, never back: with several instances an older point can be
   * projected after a newer one. When the document holds a newer position the conditional upsert collides
   * with the existing _id, which means there is nothing to do.
   */
  private async writeAmbulance(id: string, change: AmbulanceChange, now: Date): Promise<void> {
    try {
      await this.models.collections.ambulances.updateOne(
        {
          _id: id,
          $or: [
            { last_position: { $exists: false } },
            { 'last_position.count_datetime': { $lte: change.lastPosition.count_datetime } },
          ],
        },
        {
          $set: {
            last_position: change.lastPosition,
            current_speeding_episode_id: change.currentEpisodeId,
            updatedAt: now,
          },
          $setOnInsert: { createdAt: now },
        },
        { upsert: true },
      );
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  private async writeEpisode(change: EpisodeChange): Promise<void> {
    const { _id, ...fields } = change.episode;
    if (change.isNew) {
      try {
        await this.models.collections.speedingEpisodes.insertOne(change.episode);
        change.isNew = false;
        return;
      } catch (error) {
        // Inserted by an earlier attempt whose answer was lost: update it instead.
        if (!isDuplicateKeyError(error)) throw error;
        change.isNew = false;
      }
    }
    const { matchedCount } = await this.models.collections.speedingEpisodes.updateOne({ _id }, { $set: fields });
    // The document was never written (its insert was pending when a process stopped): write it now.
    if (matchedCount === 0) {
      await this.models.collections.speedingEpisodes.insertOne(change.episode).catch((error: unknown) => {
        if (!isDuplicateKeyError(error)) throw error;
      });
    }
  }
}
