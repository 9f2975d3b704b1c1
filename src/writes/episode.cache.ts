import { LRUCache } from 'lru-cache';
import type { Types } from 'mongoose';
import { isSpeedStateName, speedStateOf } from '../domain/speed.state.js';
import { type EpisodeSummary, summariseEpisode } from '../domain/speeding-episode.rules.js';
import { growingStorage } from '../infra/lru-cache.options.js';
import { ambulanceIdToString } from '../models/ambulance-id.filter.js';
import type { Models } from '../models/models.js';
import type { SpeedingEpisodeDoc } from '../models/speeding-episode.model.js';

export type Episode = EpisodeSummary<Types.ObjectId>;

export function episodeOfDoc(doc: SpeedingEpisodeDoc): Episode {
  return {
    id: doc._id,
    ambulanceId: ambulanceIdToString(doc.ambulance_id),
    startedAt: doc.started_at,
    endedAt: doc.ended_at,
    maxSpeed: doc.max_speed,
    maxState: doc.max_state === 'RED' ? 'RED' : 'ORANGE',
    pointCount: doc.point_count,
  };
}

export function docOfEpisode(episode: Episode): SpeedingEpisodeDoc {
  return {
    _id: episode.id,
    ambulance_id: episode.ambulanceId,
    started_at: episode.startedAt,
    ended_at: episode.endedAt,
    max_speed: episode.maxSpeed,
    max_state: episode.maxState,
    point_count: episode.pointCount,
  };
}

/**
 * The speeding episode each ambulance is in (null: none), for the ambulances seen most recently: read from
 * the database on first sight, and again after the ambulance was forgotten. Only the most recently seen are
 * kept, so ids made up by a caller cannot grow memory without bound. With several instances an episode
 * stays whole as long as one instance handles an ambulance's points.
 */
export class EpisodeCache {
  private readonly remembered: LRUCache<string, { readonly episode: Episode | null }>;
  /** Once an ambulance was forgotten, a miss may be one whose fleet document is not projected yet. */
  private hasForgotten = false;

  constructor(
    private readonly models: Models,
    /** Most ambulances whose episode is remembered; the least recently seen are forgotten past it. */
    size: number,
  ) {
    this.remembered = new LRUCache({
      ...growingStorage(size),
      dispose: (_value, _id, reason) => {
        if (reason === 'evict') this.hasForgotten = true;
      },
    });
  }

  /** How many ambulances' episodes are remembered now. */
  get size(): number {
    return this.remembered.size;
  }

  /** Called once points are stored: the ambulance is now in `episode`. */
  remember(ambulanceId: string, episode: Episode | null): void {
    this.remembered.set(ambulanceId, { episode });
  }

  /**
   * The episode each ambulance is in. On first sight of a known ambulance it is found from its newest stored
   * point: the points are the truth, while the fleet and episode documents are projected later and may lag
   * (or be lost with a crashed process). The summary comes from the episode document, or from the episode's
   * points when that document was not written yet. The answer is the caller's copy: the cache may forget an
   * ambulance while the caller uses it.
   */
  async episodesOf(ambulanceIds: readonly string[]): Promise<Map<string, Episode | null>> {
    const episodes = new Map<string, Episode | null>();
    const unknown: string[] = [];
    for (const id of ambulanceIds) {
      const remembered = this.remembered.get(id);
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
        episodes.set(id, stored ? episodeOfDoc(stored) : await this.summariseStored(id, episodeId));
      }),
    );
    for (const id of unknown) this.remember(id, episodes.get(id) ?? null);
    return episodes;
  }

  private async summariseStored(ambulanceId: string, episodeId: Types.ObjectId): Promise<Episode | null> {
    const points = await this.models.collections.trackings
      .find({ speeding_episode_id: episodeId }, { projection: { speed: 1, state: 1, count_datetime: 1 } })
      .toArray();
    return summariseEpisode(
      episodeId,
      ambulanceId,
      points.map((point) => {
        const speed = Number(point.speed ?? 0);
        return {
          speed,
          state: isSpeedStateName(point.state) ? point.state : speedStateOf(speed),
          at: point.count_datetime,
        };
      }),
    );
  }
}
