import type { ReplaySample } from '../logic/replay.timing';

/**
 * The replay position, changing every animation frame while playing. Kept out of the dashboard state so that
 * only the map marker and the chart cursor follow it, not every view.
 */
export class ReplayCursor {
  private sample: { timeMs: number; sample: ReplaySample } | null = null;
  private readonly listeners = new Set<(value: { timeMs: number; sample: ReplaySample } | null) => void>();

  get current() {
    return this.sample;
  }

  set(value: { timeMs: number; sample: ReplaySample } | null): void {
    this.sample = value;
    for (const listener of this.listeners) listener(value);
  }

  subscribe(listener: (value: { timeMs: number; sample: ReplaySample } | null) => void): () => void {
    this.listeners.add(listener);
    listener(this.sample);
    return () => this.listeners.delete(listener);
  }
}
