import type { SpeedStateName } from './speed.state.js';
import { nextEpisode } from './speeding-episode.js';

/** A point as the episode rules see it: its speed (km/h), speed state and the time the server received it. */
export interface EpisodePoint {
  readonly speed: number;
  readonly state: SpeedStateName;
  readonly at: Date;
}

/** What the points of one episode add up to. */
export interface EpisodeSummary<Id> {
  readonly id: Id;
  readonly ambulanceId: string;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly maxSpeed: number;
  readonly maxState: 'ORANGE' | 'RED';
  readonly pointCount: number;
}

/** The episode with one more point: times widen to include it, the maxima grow, the count goes up by one. */
export function withPoint<Id>(episode: EpisodeSummary<Id>, point: EpisodePoint): EpisodeSummary<Id> {
  return {
    ...episode,
    startedAt: new Date(Math.min(episode.startedAt.getTime(), point.at.getTime())),
    endedAt: new Date(Math.max(episode.endedAt.getTime(), point.at.getTime())),
    maxSpeed: Math.max(episode.maxSpeed, point.speed),
    maxState: episode.maxState === 'RED' || point.state === 'RED' ? 'RED' : 'ORANGE',
    pointCount: episode.pointCount + 1,
  };
}

/** The episode of one point alone. */
function openedBy<Id>(id: Id, ambulanceId: string, point: EpisodePoint): EpisodeSummary<Id> {
  return withPoint(
    {
      id,
      ambulanceId,
      startedAt: point.at,
      endedAt: point.at,
      maxSpeed: point.speed,
      maxState: 'ORANGE',
      pointCount: 0,
    },
    point,
  );
}

/** The summary of an episode from its points, in any order (null without points). */
export function summariseEpisode<Id>(
  id: Id,
  ambulanceId: string,
  points: readonly EpisodePoint[],
): EpisodeSummary<Id> | null {
  const [first, ...rest] = points;
  if (!first) return null;
  return rest.reduce((episode, point) => withPoint(episode, point), openedBy(id, ambulanceId, first));
}

/**
 * A new point of an ambulance that is in `current` (null: in none): the episode the point belongs to
 * with the point counted (null for a GREEN point), and whether the point opened it.
 */
export function episodeAfterPoint<Id>(
  current: EpisodeSummary<Id> | null,
  ambulanceId: string,
  point: EpisodePoint,
  newEpisodeId: () => Id,
): { readonly episode: EpisodeSummary<Id> | null; readonly opened: boolean } {
  const { episodeId, opened } = nextEpisode(current?.id ?? null, point.state, newEpisodeId);
  if (episodeId === null) return { episode: null, opened: false };
  if (opened || !current) return { episode: openedBy(episodeId, ambulanceId, point), opened: true };
  return { episode: withPoint(current, point), opened: false };
}

/** A state of an episode waiting to be written: whole (absolute values), and new until it was first written. */
export interface EpisodeChange<Episode> {
  readonly episode: Episode;
  /** Opened since it was last written: inserted rather than updated. */
  readonly isNew: boolean;
}

/** Two states of one episode waiting to be written: the newer wins, and stays new while the older was. */
export function laterEpisodeChange<Episode>(
  older: EpisodeChange<Episode> | undefined,
  newer: EpisodeChange<Episode>,
): EpisodeChange<Episode> {
  return older?.isNew && !newer.isNew ? { ...newer, isNew: true } : newer;
}
