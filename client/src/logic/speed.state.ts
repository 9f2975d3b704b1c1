/** The server's speed rule: above 120 km/h RED, above 80 up to 120 ORANGE, otherwise GREEN. */
export type SpeedState = 'GREEN' | 'ORANGE' | 'RED';

export const ORANGE_ABOVE_KMH = 80;
export const RED_ABOVE_KMH = 120;

export type Tone = 'green' | 'orange' | 'red' | 'stale';

export interface StateAppearance {
  readonly tone: Tone;
  /** Short text shown beside the colour, so the state never depends on colour alone. */
  readonly label: string;
  /** Longer text for screen readers and tooltips. */
  readonly description: string;
  /** Fill colour (high contrast on the dark theme). */
  readonly colour: string;
}

export const STATE_COLOURS: Readonly<Record<Tone, string>> = {
  green: '#34d17a',
  orange: '#ffa62b',
  red: '#ff4d4d',
  stale: '#8d96a5',
};

const DESCRIPTIONS: Readonly<Record<SpeedState, string>> = {
  GREEN: `up to ${ORANGE_ABOVE_KMH} km/h`,
  ORANGE: `above ${ORANGE_ABOVE_KMH} km/h`,
  RED: `above ${RED_ABOVE_KMH} km/h`,
};

/** How a state is shown: a stale ambulance is greyed whatever its last state, and says so in words. */
export function appearanceOf(state: SpeedState, stale: boolean): StateAppearance {
  const tone: Tone = stale ? 'stale' : (state.toLowerCase() as Tone);
  return {
    tone,
    label: stale ? `${state} · STALE` : state,
    description: stale
      ? `${state} (${DESCRIPTIONS[state]}) at its last report, which is out of date`
      : `${state}: ${DESCRIPTIONS[state]}`,
    colour: STATE_COLOURS[tone],
  };
}

export function formatSpeed(kmh: number | null): string {
  return kmh === null ? '– km/h' : `${Math.round(kmh)} km/h`;
}
