import { LRUCache } from 'lru-cache';
import { ambulanceEventId } from '../domain/ambulance-event.id.js';
import type { TrackingEvent } from '../events/event.payloads.js';
import { growingStorage } from '../infra/lru-cache.options.js';
import { type AmbulanceEventRecorder, blankEvent } from './ambulance-event.recorder.js';

const MAX_REMEMBERED = 10_000;

/**
 * SPEEDING_STARTED at the first RED point of a speeding episode. The event id is the episode's, so only the
 * first RED point of it, on any instance, is stored; this instance remembers the episodes it has announced
 * and does not try again.
 */
export class SpeedingAnnouncer {
  private readonly announced = new LRUCache<string, true>(growingStorage(MAX_REMEMBERED));

  constructor(private readonly recorder: AmbulanceEventRecorder) {}

  async stored(point: TrackingEvent): Promise<void> {
    const episodeId = point.speedingEpisodeId;
    if (point.state !== 'RED' || !episodeId || this.announced.has(episodeId)) return;
    // Marked first: the other RED points of the episode in the same batch are handled at the same time.
    this.announced.set(episodeId, true);
    try {
      await this.recorder.record(
        blankEvent({
          id: ambulanceEventId(point.ambulanceId, 'SPEEDING_STARTED', episodeId),
          ambulanceId: point.ambulanceId,
          kind: 'SPEEDING_STARTED',
          at: new Date(point.recordedAt),
          note: point.speed === null ? null : `${Math.round(point.speed)} km/h`,
        }),
      );
    } catch (error) {
      // Not stored: the episode's next RED point tries again.
      this.announced.delete(episodeId);
      throw error;
    }
  }
}
