import type { SpeedState } from './speed.state.js';

/** Playback rates offered to the dispatcher (replay seconds per wall-clock second). */
export const PLAYBACK_RATES: readonly number[] = [1, 2, 5, 10, 30, 60, 120, 300];

/**
 * A replay clock as a value: where the replay is (in recorded time) and, while playing, the wall-clock
 * moment that position was taken, so the current position is computed, never accumulated frame by frame.
 */
export interface ReplayClock {
  readonly startMs: number;
  readonly endMs: number;
  readonly positionMs: number;
  readonly playing: boolean;
  readonly rate: number;
  readonly anchorWallMs: number;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

export function createClock(startMs: number, endMs: number, rate = 10): ReplayClock {
  const end = Math.max(startMs, endMs);
  return { startMs, endMs: end, positionMs: startMs, playing: false, rate, anchorWallMs: 0 };
}

/** The replay time shown at wall-clock `wallMs`. */
export function clockTime(clock: ReplayClock, wallMs: number): number {
  if (!clock.playing) return clock.positionMs;
  return clamp(clock.positionMs + (wallMs - clock.anchorWallMs) * clock.rate, clock.startMs, clock.endMs);
}

export function isFinished(clock: ReplayClock, wallMs: number): boolean {
  return clockTime(clock, wallMs) >= clock.endMs;
}

/** Starts playing; from the end, it starts again at the beginning. */
export function play(clock: ReplayClock, wallMs: number): ReplayClock {
  const position = clockTime(clock, wallMs);
  const from = position >= clock.endMs ? clock.startMs : position;
  return { ...clock, positionMs: from, playing: true, anchorWallMs: wallMs };
}

export function pause(clock: ReplayClock, wallMs: number): ReplayClock {
  return { ...clock, positionMs: clockTime(clock, wallMs), playing: false, anchorWallMs: wallMs };
}

/** Moves to `positionMs` (clamped to the range), keeping play or pause. */
export function seek(clock: ReplayClock, positionMs: number, wallMs: number): ReplayClock {
  return { ...clock, positionMs: clamp(positionMs, clock.startMs, clock.endMs), anchorWallMs: wallMs };
}

/** Changes the rate without a jump: the current position becomes the new anchor. */
export function setRate(clock: ReplayClock, rate: number, wallMs: number): ReplayClock {
  if (!(rate > 0)) throw new RangeError(`playback rate must be positive, got ${rate}`);
  return { ...clock, positionMs: clockTime(clock, wallMs), rate, anchorWallMs: wallMs };
}

/**
 * The scrub slider's scale: positions in whole steps from the start, about 500 of them over the range (so an arrow
 * key moves a visible amount), with both ends and every value shown on that grid. A browser moves a range input's
 * off-grid value onto the grid, and a controlled input whose value the browser moved no longer follows its state:
 * a key such as Home could then land next to the end instead of at the start.
 */
export interface ScrubScale {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

export function scrubScale(startMs: number, endMs: number): ScrubScale {
  const span = Math.max(0, endMs - startMs);
  const step = Math.max(1, Math.min(1000, Math.round(span / 500)));
  return { min: startMs, max: startMs + Math.max(1, Math.ceil(span / step)) * step, step };
}

/** The slider position nearest to `timeMs`, on the scale's grid. */
export function scrubValue(scale: ScrubScale, timeMs: number): number {
  const steps = Math.round((timeMs - scale.min) / scale.step);
  return clamp(scale.min + steps * scale.step, scale.min, scale.max);
}

export interface TimedPoint {
  readonly timeMs: number;
  readonly latitude: number;
  readonly longitude: number;
  readonly speed: number | null;
  readonly state: SpeedState;
}

export interface ReplaySample {
  /** Index of the last recorded point at or before the time. */
  readonly index: number;
  readonly latitude: number;
  readonly longitude: number;
  /** Speed and state of the last recorded point: they are reported values, not interpolated. */
  readonly speed: number | null;
  readonly state: SpeedState;
}

/** Index of the last point at or before `timeMs` (-1 when every point is later). Points are sorted by time. */
export function indexAt(points: readonly TimedPoint[], timeMs: number): number {
  let low = 0;
  let high = points.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((points[middle] as TimedPoint).timeMs <= timeMs) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/** Where the ambulance was at `timeMs`: between two reports the position moves linearly. */
export function sampleAt(points: readonly TimedPoint[], timeMs: number): ReplaySample | null {
  if (points.length === 0) return null;
  const index = Math.max(0, indexAt(points, timeMs));
  const current = points[index] as TimedPoint;
  const next = points[index + 1];
  let latitude = current.latitude;
  let longitude = current.longitude;
  if (next && timeMs > current.timeMs && next.timeMs > current.timeMs) {
    const fraction = Math.min(1, (timeMs - current.timeMs) / (next.timeMs - current.timeMs));
    latitude += (next.latitude - current.latitude) * fraction;
    longitude += (next.longitude - current.longitude) * fraction;
  }
  return { index, latitude, longitude, speed: current.speed, state: current.state };
}
