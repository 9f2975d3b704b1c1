import type { mongo } from 'mongoose';
import type { Logger } from 'pino';
import { type EpisodeChange as ChangeOf, laterEpisodeChange } from '../domain/speeding-episode.rules.js';
import type { AmbulanceDoc, LastPositionDoc } from '../models/ambulance.model.js';
import { comparableLastPosition } from '../models/last-position.order.js';
import type { Models } from '../models/models.js';
import type { SpeedingEpisodeDoc } from '../models/speeding-episode.model.js';
import { duplicateIndexesOf } from '../models/storage.errors.js';
import type { WriteLane } from '../models/write.lane.js';

/** The whole, current state of an episode (absolute values, so writing it twice is harmless). */
export type EpisodeSnapshot = SpeedingEpisodeDoc;

export type EpisodeChange = ChangeOf<EpisodeSnapshot>;

type Operation =
  | { readonly kind: 'ambulance'; readonly id: string; readonly lastPosition: LastPositionDoc }
  | { readonly kind: 'episode'; readonly id: string; readonly change: EpisodeChange };

const RETRY_DELAY_MS = 500;
/** Projection may take at most this share of the write lane: a round that took T waits T × (1/share − 1). */
const MAX_LANE_SHARE = 0.25;
/**
 * Time one background turn in the write lane should take, so other writes wait little behind projection.
 * A turn sends its writes as one bulk command per kind, sized from the time each kind took lately (an
 * episode insert costs far less than an update on FerretDB).
 */
const TURN_BUDGET_MS = 5;
/** However cheap writes were lately, a turn holds at most this many (one slow command stays short). */
const MAX_OPERATIONS_PER_TURN = 100;

type WriteKind = 'episodeInsert' | 'episodeUpdate' | 'ambulanceUpdate';

function writeKindOf(operation: Operation): WriteKind {
  if (operation.kind === 'ambulance') return 'ambulanceUpdate';
  return operation.change.isNew ? 'episodeInsert' : 'episodeUpdate';
}

/**
 * Keeps the derived documents (each ambulance's latest position, speeding-episode summaries) up to date
 * from stored points, off the request path. Changes recorded while a round waits or runs are merged, so
 * under load each ambulance costs one update per interval instead of one per point; an idle server
 * projects a point at once. Tracking points themselves are always stored before a device gets 200.
 *
 * Every write is idempotent (episodes are written whole; positions through `$max`), so a failed turn is
 * simply written again. New episodes are inserted (no read first); updates filter on `_id` alone, the part of a
 * filter FerretDB v1 (the embedded and test store) looks up through an index rather than by decoding every
 * document of the collection (see SOURCE_PATCHES in src/infra/ferretdb.process.ts).
 */
export class AmbulanceProjector {
  private ambulances = new Map<string, LastPositionDoc>();
  private episodes = new Map<string, EpisodeChange>();
  private running: Promise<void> | null = null;
  /** Ambulances whose position this process has written (bounded by the fleet's size). */
  private readonly projected = new Set<string>();
  /** Some recorded position is of an ambulance not in `projected`: the next round starts without waiting. */
  private unseenPending = false;
  private waitTimer: NodeJS.Timeout | null = null;
  private nextRoundAt = 0;
  /** Milliseconds one write of each kind took lately (smoothed); sizes the next turn. */
  private readonly msPerWrite: Record<WriteKind, number> = { episodeInsert: 1, episodeUpdate: 1, ambulanceUpdate: 1 };
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

  /**
   * Newest positions per ambulance and the current state of the episodes they touched. An ambulance this process
   * has not projected yet is written without waiting for the interval, so a new one is listed in the fleet at once.
   */
  record(positions: ReadonlyMap<string, LastPositionDoc>, episodes: ReadonlyMap<string, EpisodeChange>): void {
    for (const [id, position] of positions) {
      this.ambulances.set(id, position);
      if (!this.projected.has(id)) this.unseenPending = true;
    }
    for (const [id, change] of episodes) this.mergeEpisode(id, change);
    if (this.unseenPending && this.waitTimer) {
      clearTimeout(this.waitTimer);
      this.waitTimer = null;
    }
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
    this.episodes.set(id, laterEpisodeChange(this.episodes.get(id), change));
  }

  private start(now = false): void {
    if (this.running || this.waitTimer) return;
    if (this.ambulances.size === 0 && this.episodes.size === 0) return;
    const wait = now || this.unseenPending ? 0 : this.nextRoundAt - Date.now();
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
      ...[...this.ambulances].map(([id, lastPosition]) => ({ kind: 'ambulance' as const, id, lastPosition })),
    ];
    this.ambulances = new Map();
    this.episodes = new Map();
    this.unseenPending = false;
    let done = 0;
    while (done < operations.length) {
      const turn = operations.slice(done, this.turnEnd(operations, done));
      try {
        await this.lane.run(() => this.writeTurn(turn), 'background');
      } catch (error) {
        this.failedRounds += 1;
        this.logger.warn({ err: (error as Error).message }, 'ambulance positions not updated; will retry');
        this.requeue(operations.slice(done));
        this.nextRoundAt = Date.now() + RETRY_DELAY_MS;
        return;
      }
      done += turn.length;
      for (const operation of turn) if (operation.kind === 'ambulance') this.projected.add(operation.id);
    }
    const took = Date.now() - startedAt;
    this.nextRoundAt = startedAt + Math.max(this.intervalMs, took / MAX_LANE_SHARE);
  }

  /** The end of the turn starting at `from`: at least one operation, then as many as fit the budget. */
  private turnEnd(operations: readonly Operation[], from: number): number {
    let end = from;
    let estimatedMs = 0;
    const last = Math.min(operations.length, from + MAX_OPERATIONS_PER_TURN);
    while (end < last && (end === from || estimatedMs < TURN_BUDGET_MS)) {
      estimatedMs += this.msPerWrite[writeKindOf(operations[end] as Operation)];
      end += 1;
    }
    return end;
  }

  private async timed(kind: WriteKind, count: number, write: () => Promise<unknown>): Promise<void> {
    if (count === 0) return;
    const started = performance.now();
    await write();
    this.msPerWrite[kind] = (this.msPerWrite[kind] + (performance.now() - started) / count) / 2;
  }

  /** Puts back what was not written; changes recorded meanwhile are newer and win. */
  private requeue(operations: readonly Operation[]): void {
    for (const operation of operations) {
      if (operation.kind === 'ambulance') {
        if (!this.ambulances.has(operation.id)) this.ambulances.set(operation.id, operation.lastPosition);
      } else {
        const newer = this.episodes.get(operation.id);
        this.episodes.set(operation.id, newer ? laterEpisodeChange(operation.change, newer) : operation.change);
      }
    }
  }

  /** Writes one turn: the episodes first, then the fleet documents that name them. */
  private async writeTurn(turn: readonly Operation[]): Promise<void> {
    const now = new Date();
    const newEpisodes: EpisodeSnapshot[] = [];
    const changedEpisodes: EpisodeSnapshot[] = [];
    const ambulanceWrites: Array<mongo.AnyBulkWriteOperation<AmbulanceDoc>> = [];
    for (const operation of turn) {
      if (operation.kind === 'episode') {
        (operation.change.isNew ? newEpisodes : changedEpisodes).push(operation.change.episode);
        continue;
      }
      ambulanceWrites.push({
        updateOne: {
          filter: { _id: operation.id },
          update: {
            $max: { last_position: comparableLastPosition(operation.lastPosition) },
            $set: { updatedAt: now },
            $setOnInsert: { createdAt: now },
          },
          upsert: true,
        },
      });
    }
    // One inserted by an earlier attempt whose answer was lost is updated instead.
    await this.timed('episodeInsert', newEpisodes.length, async () => {
      changedEpisodes.push(...(await this.insertEpisodes(newEpisodes)));
    });
    await this.timed('episodeUpdate', changedEpisodes.length, () =>
      this.models.collections.speedingEpisodes.bulkWrite(
        changedEpisodes.map(({ _id, ...fields }) => ({
          updateOne: { filter: { _id }, update: { $set: fields }, upsert: true },
        })),
      ),
    );
    await this.timed('ambulanceUpdate', ambulanceWrites.length, () =>
      this.models.collections.ambulances.bulkWrite(ambulanceWrites),
    );
  }

  /** Inserts episodes; returns those already stored. */
  private async insertEpisodes(episodes: readonly EpisodeSnapshot[]): Promise<EpisodeSnapshot[]> {
    if (episodes.length === 0) return [];
    try {
      await this.models.collections.speedingEpisodes.insertMany(episodes, { ordered: false });
      return [];
    } catch (error) {
      const duplicates = duplicateIndexesOf(error);
      if (!duplicates) throw error;
      return duplicates.map((index) => episodes[index] as EpisodeSnapshot);
    }
  }
}
