import type { UnitTone } from './unit.status.js';

/** A unit as the layer shows it, in the page's coordinates (CSS pixels): what `describe` gives tests. */
export interface DrawnMarker {
  readonly id: string;
  readonly state: string;
  readonly status: string;
  readonly tone: UnitTone;
  readonly stale: boolean;
  readonly selected: boolean;
  readonly latitude: number;
  readonly longitude: number;
  readonly speed: number | null;
  readonly title: string;
  /** The fill colour of the dot, as CSS gives it (`#ff4d4d`). */
  readonly colour: string;
  /** True once a frame was drawn with the unit as it is now (false while a redraw is pending). */
  readonly drawn: boolean;
  /** True when that frame painted it (it was in or near the view). */
  readonly inView: boolean;
  /** Centre and radius of the dot, border included. */
  readonly x: number;
  readonly y: number;
  readonly radius: number;
  /** The label as drawn, or null when it is hidden (it would overlap a more urgent one). */
  readonly label: { readonly text: string; x: number; y: number; width: number; height: number } | null;
  readonly labelText: string;
}
