import { LRUCache } from 'lru-cache';
import { growingStorage } from '../infra/lru-cache.options.js';
import type { TrackingEvent } from './event.payloads.js';
import type { EventBus, Unsubscribe } from './event-bus.js';
import { Topics } from './topics.js';

/** A position's place in time: its reading time, then its stored id (the order the fleet documents keep). */
export interface PositionOrderKey {
  readonly recordedAt: Date | string;
  readonly id: string;
}

/** True when `a` is a later position than `b`. */
export function isLaterPosition(a: PositionOrderKey, b: PositionOrderKey): boolean {
  const timeA = new Date(a.recordedAt).getTime();
  const timeB = new Date(b.recordedAt).getTime();
  return timeA !== timeB ? timeA > timeB : a.id > b.id;
}

/**
 * The newest position of each ambulance among the live events this instance has seen (every instance's, through
 * the bus). The fleet documents are written in rounds (PROJECTION_INTERVAL_MS), so they can be a round behind;
 * `Ambulance.lastPosition` takes the later of the two. Bounded: the least recently updated ambulances are
 * forgotten past `maxAmbulances`, and then read from the fleet documents alone.
 */
export class LatestPositions {
  private readonly newest: LRUCache<string, TrackingEvent>;
  private unsubscribe: Unsubscribe | null = null;

  constructor(maxAmbulances = 100_000) {
    this.newest = new LRUCache(growingStorage(maxAmbulances));
  }

  async follow(bus: EventBus): Promise<void> {
    this.unsubscribe = await bus.subscribe(Topics.TrackingUpdated, null, (event) => this.record(event));
  }

  record(event: TrackingEvent): void {
    const known = this.newest.get(event.ambulanceId);
    if (!known || isLaterPosition(event, known)) this.newest.set(event.ambulanceId, event);
  }

  /** Drops what is known of an ambulance: its stored position was changed outside the write path (a repair). */
  forget(ambulanceId: string): void {
    this.newest.delete(ambulanceId);
  }

  of(ambulanceId: string): TrackingEvent | undefined {
    return this.newest.get(ambulanceId);
  }

  get size(): number {
    return this.newest.size;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
