import { isSpeeding, type SpeedStateName } from './speed.state.js';

/**
 * Consecutive ORANGE/RED points of one ambulance form one speeding episode.
 * Given the episode the ambulance is in (if any) and the new point's state, says which episode
 * the point belongs to: the same one, a new one, or none (a GREEN point ends the episode).
 */
export function nextEpisode<Id>(
  currentEpisode: Id | null,
  state: SpeedStateName,
  newEpisodeId: () => Id,
): { episodeId: Id | null; opened: boolean } {
  if (!isSpeeding(state)) return { episodeId: null, opened: false };
  if (currentEpisode !== null) return { episodeId: currentEpisode, opened: false };
  return { episodeId: newEpisodeId(), opened: true };
}
