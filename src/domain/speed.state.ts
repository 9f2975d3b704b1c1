export const SPEED_STATES = ['GREEN', 'ORANGE', 'RED'] as const;
export type SpeedStateName = (typeof SPEED_STATES)[number];

export const ORANGE_ABOVE_KMH = 80;
export const RED_ABOVE_KMH = 120;

/** The one speed rule: above 120 km/h RED, above 80 up to 120 ORANGE, otherwise GREEN. */
export function speedStateOf(speedKmh: number): SpeedStateName {
  if (speedKmh > RED_ABOVE_KMH) return 'RED';
  if (speedKmh > ORANGE_ABOVE_KMH) return 'ORANGE';
  return 'GREEN';
}

export function isSpeeding(state: SpeedStateName): boolean {
  return state !== 'GREEN';
}

/** Crash devices report metres per second; everything is stored and served in km/h. */
export function metresPerSecondToKmh(speed: number): number {
  return Math.round(speed * 3.6 * 1e6) / 1e6;
}

export function isSpeedStateName(value: unknown): value is SpeedStateName {
  return typeof value === 'string' && (SPEED_STATES as readonly string[]).includes(value);
}
