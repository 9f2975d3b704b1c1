import type { SpeedState } from './speed.state.js';

export interface StatePoint {
  readonly latitude: number;
  readonly longitude: number;
  readonly state: SpeedState;
}

export interface StateSegment {
  readonly state: SpeedState;
  readonly path: ReadonlyArray<readonly [number, number]>;
}

/**
 * Splits a track into runs of one state, to draw each in its colour. Each run after the first starts at the
 * previous run's last point, so the drawn line has no gaps.
 */
export function segmentsByState(points: readonly StatePoint[]): StateSegment[] {
  const segments: Array<{ state: SpeedState; path: Array<readonly [number, number]> }> = [];
  let previous: StatePoint | null = null;
  for (const point of points) {
    const position = [point.latitude, point.longitude] as const;
    const current = segments[segments.length - 1];
    if (current && current.state === point.state) {
      current.path.push(position);
    } else {
      const start: Array<readonly [number, number]> = previous ? [[previous.latitude, previous.longitude]] : [];
      segments.push({ state: point.state, path: [...start, position] });
    }
    previous = point;
  }
  return segments;
}
