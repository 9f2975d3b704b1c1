/** Steps (degrees) a lat/lon grid may use, from continents down to a few streets. */
const NICE_STEPS: readonly number[] = [
  30, 10, 5, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005, 0.0002, 0.0001,
];

/** The nice step drawing the number of lines closest to `targetLines` (at least one) across `spanDegrees`. */
export function gridStep(spanDegrees: number, targetLines = 4): number {
  const target = Math.max(1, targetLines);
  let best = NICE_STEPS[0] as number;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const step of NICE_STEPS) {
    const distance = Math.abs(Math.log(spanDegrees / step / target));
    if (distance < bestDistance) {
      best = step;
      bestDistance = distance;
    }
  }
  return best;
}

/** Multiples of `step` within [min, max], without floating-point dust (0.30000000000000004). */
export function gridValues(min: number, max: number, step: number, limit = 200): number[] {
  const decimals = decimalsOf(step);
  const values: number[] = [];
  for (let value = Math.ceil(min / step) * step; value <= max && values.length < limit; value += step) {
    values.push(Number(value.toFixed(decimals)));
  }
  return values;
}

export function decimalsOf(step: number): number {
  return Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
}

/** "45.51° N", "73.6° W": the hemisphere in words, at the grid's precision. */
export function formatCoordinate(value: number, axis: 'lat' | 'lon', decimals: number): string {
  const hemisphere = axis === 'lat' ? (value >= 0 ? 'N' : 'S') : value >= 0 ? 'E' : 'W';
  return `${Math.abs(value).toFixed(decimals)}° ${value === 0 ? '' : hemisphere}`.trim();
}
