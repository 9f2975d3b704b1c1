import L from 'leaflet';
import { type LabelBox, visibleLabels } from '../logic/label.layout';
import type { DrawnMarker } from '../logic/map.marker';
import type { UnitTone } from '../logic/unit.status';

export type { DrawnMarker };

/** One ambulance as the map shows it, worked out by the view from the fleet, the crashes and the clock. */
export interface MapUnit {
  readonly id: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly tone: UnitTone;
  /** "AMB-1 · RED", "AMB-2 · CRASH", "AMB-3 · STALE". */
  readonly label: string;
  readonly heading: number | null;
  readonly title: string;
  readonly selected: boolean;
  /** The speed state of the last report ('' without one), the status kind and the speed, for tests and tooltips. */
  readonly state: string;
  readonly status: string;
  readonly speed: number | null;
}

interface Placed {
  readonly unit: MapUnit;
  readonly x: number;
  readonly y: number;
  label: { x: number; y: number; width: number; height: number } | null;
}

interface Geometry {
  readonly rem: number;
  readonly size: number;
  readonly radius: number;
  readonly font: string;
  readonly labelHeight: number;
}

/** Leaflet's own zoom animation maths (as its markers and image overlays use it); not in its public typings. */
interface ZoomingMap {
  _latLngToNewLayerPoint(latlng: L.LatLng, zoom: number, center: L.LatLng): L.Point;
}

const LABEL_INTERVAL_MS = 500;
const LABEL_PRIORITY: Readonly<Record<UnitTone, number>> = { crash: 0, red: 1, orange: 2, green: 3, stale: 4 };
/** Drawn in this order: a crash and the selected unit stay on top of calm and stale ones. */
const DRAW_ORDER: Readonly<Record<UnitTone, number>> = { stale: 0, green: 1, orange: 1, red: 1, crash: 2 };
const TONE_VARIABLE: Readonly<Record<UnitTone, string>> = {
  crash: '--red',
  red: '--red',
  orange: '--orange',
  green: '--green',
  stale: '--stale',
};
const OUTLINE = '#0b1018';
const LABEL_BACKGROUND = 'rgba(11, 16, 24, 0.85)';

/**
 * Every ambulance drawn on one canvas, redrawn at most once per animation frame: a thousand units reporting
 * each second cost one canvas redraw per frame instead of a thousand DOM updates. A unit is a dot in its state's
 * colour with a heading arrow and a label; labels that would overlap a more urgent one are hidden (laid out
 * again at most twice a second while units move, and at once after the map moved). A click on a dot or a label
 * selects the unit; hovering shows its label and its description as a tooltip. The fleet list is the keyboard
 * and screen-reader way to the same units.
 */
export class FleetUnitsLayer extends L.Layer {
  private readonly canvas = document.createElement('canvas');
  private units: readonly MapUnit[] = [];
  private placed: Placed[] = [];
  /** The units list the last frame was drawn from. */
  private drawnUnits: readonly MapUnit[] | null = null;
  private shownLabels = new Set<string>();
  private labelLeft = new Set<string>();
  private labelsDue = true;
  private labelTimer: ReturnType<typeof setTimeout> | undefined;
  private frame = 0;
  private hoveredId: string | null = null;
  private zooming = false;
  private geometry: Geometry | null = null;
  private colours: Record<UnitTone, string> | null = null;
  private focusColour = '#ffe066';
  private readonly labelWidths = new Map<string, number>();
  /** What the layer follows on the map, added and removed as one. */
  private readonly mapEvents: L.LeafletEventHandlerFnMap = {
    moveend: () => this.viewChanged(),
    zoomend: () => this.viewChanged(),
    viewreset: () => this.viewChanged(),
    resize: () => this.viewChanged(),
    move: () => this.requestDraw(),
    zoomanim: (event) => this.animateZoom(event),
    click: (event) => this.clicked(event),
    mousemove: (event) => this.hovered(event),
    mouseout: () => this.left(),
  };
  private labelFont = '';

  constructor(
    private readonly onSelect: (ambulanceId: string) => void,
    private readonly paneName: string,
  ) {
    super();
    this.canvas.className = 'fleet-units leaflet-zoom-animated';
    this.canvas.style.pointerEvents = 'none';
  }

  override onAdd(map: L.Map): this {
    map.getPane(this.paneName)?.appendChild(this.canvas);
    map.on(this.mapEvents);
    this.viewChanged();
    return this;
  }

  override onRemove(map: L.Map): this {
    map.off(this.mapEvents);
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    clearTimeout(this.labelTimer);
    this.labelTimer = undefined;
    this.canvas.remove();
    return this;
  }

  setUnits(units: readonly MapUnit[]): void {
    const known = this.units;
    this.units = units;
    // A new label, tone or selection is laid out at once; mere movement at most every LABEL_INTERVAL_MS.
    if (!sameLabels(known, units)) {
      this.labelsDue = true;
    } else {
      this.labelTimer ??= setTimeout(() => {
        this.labelTimer = undefined;
        this.labelsDue = true;
        this.requestDraw();
      }, LABEL_INTERVAL_MS);
    }
    this.requestDraw();
  }

  /**
   * Every unit the layer holds, with its screen position now and, when it was in view at the last draw, its
   * label as drawn (null when hidden): what tests read instead of per-marker elements.
   */
  describe(): DrawnMarker[] {
    const map = this._map;
    const geometry = this.geometry;
    const colours = this.colours;
    if (!map || !geometry || !colours) return [];
    const box = this.canvas.getBoundingClientRect();
    const container = map.getContainer().getBoundingClientRect();
    const drawn = new Map(this.placed.map((entry) => [entry.unit.id, entry]));
    return this.units.map((unit) => {
      const entry = drawn.get(unit.id);
      const point = map.latLngToContainerPoint([unit.latitude, unit.longitude]);
      const label = entry?.label ?? null;
      return {
        id: unit.id,
        state: unit.state,
        status: unit.status,
        tone: unit.tone,
        stale: unit.tone === 'stale',
        selected: unit.selected,
        latitude: unit.latitude,
        longitude: unit.longitude,
        speed: unit.speed,
        title: unit.title,
        colour: colours[unit.tone],
        drawn: this.drawnUnits === this.units,
        inView: entry !== undefined,
        x: container.left + point.x,
        y: container.top + point.y,
        radius: geometry.radius + 2,
        label: label ? { text: unit.label, ...label, x: box.left + label.x, y: box.top + label.y } : null,
        labelText: unit.label,
      };
    });
  }

  /** The canvas in the page, for tests that read its pixels. */
  get element(): HTMLCanvasElement {
    return this.canvas;
  }

  private viewChanged(): void {
    this.zooming = false;
    this.labelsDue = true;
    this.geometry = null;
    this.requestDraw();
  }

  private requestDraw(): void {
    if (this.frame !== 0 || !this._map) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Scales the last drawing with the map during a zoom animation; the next draw replaces it. */
  private animateZoom(event: L.ZoomAnimEvent): void {
    const map = this._map;
    this.zooming = true;
    const scale = map.getZoomScale(event.zoom, map.getZoom());
    const topLeft = (map as unknown as ZoomingMap)._latLngToNewLayerPoint(
      map.containerPointToLatLng([0, 0]),
      event.zoom,
      event.center,
    );
    L.DomUtil.setTransform(this.canvas, topLeft, scale);
  }

  private measured(): Geometry {
    if (this.geometry) return this.geometry;
    const root = getComputedStyle(document.documentElement);
    const rem = Number.parseFloat(root.fontSize) || 16;
    // Markers grow with the root font size, like the rest of the page, so they stay visible on a wall display.
    const size = Math.round(1.75 * rem);
    const family = getComputedStyle(document.body).fontFamily || 'sans-serif';
    const font = `700 ${0.85 * rem}px ${family}`;
    if (font !== this.labelFont) {
      this.labelWidths.clear();
      this.labelFont = font;
    }
    this.colours = {
      crash: root.getPropertyValue(TONE_VARIABLE.crash).trim() || '#ff4d4d',
      red: root.getPropertyValue(TONE_VARIABLE.red).trim() || '#ff4d4d',
      orange: root.getPropertyValue(TONE_VARIABLE.orange).trim() || '#ffa62b',
      green: root.getPropertyValue(TONE_VARIABLE.green).trim() || '#34d17a',
      stale: root.getPropertyValue(TONE_VARIABLE.stale).trim() || '#8d96a5',
    };
    this.focusColour = root.getPropertyValue('--focus').trim() || '#ffe066';
    this.geometry = { rem, size, radius: Math.round(0.32 * size), font, labelHeight: Math.round(1.35 * 0.85 * rem) };
    return this.geometry;
  }

  private draw(): void {
    const map = this._map;
    if (!map || this.zooming) return;
    const geometry = this.measured();
    const size = map.getSize();
    const ratio = window.devicePixelRatio || 1;
    const canvas = this.canvas;
    if (canvas.width !== Math.round(size.x * ratio) || canvas.height !== Math.round(size.y * ratio)) {
      canvas.width = Math.round(size.x * ratio);
      canvas.height = Math.round(size.y * ratio);
      canvas.style.width = `${size.x}px`;
      canvas.style.height = `${size.y}px`;
    }
    L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
    const context = canvas.getContext('2d');
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, size.x, size.y);
    context.font = geometry.font;

    const margin = 10 * geometry.rem;
    const placed: Placed[] = [];
    for (const unit of this.units) {
      const point = map.latLngToContainerPoint([unit.latitude, unit.longitude]);
      if (point.x < -margin || point.y < -margin || point.x > size.x + margin || point.y > size.y + margin) continue;
      placed.push({ unit, x: point.x, y: point.y, label: null });
    }
    placed.sort((a, b) => drawRank(a.unit) - drawRank(b.unit));
    if (this.labelsDue) {
      this.labelsDue = false;
      this.layoutLabels(placed, context, size.x, geometry);
    }
    for (const entry of placed) {
      const { unit } = entry;
      if (this.shownLabels.has(unit.id) || unit.id === this.hoveredId) {
        entry.label = this.labelBox(entry, context, geometry, this.labelLeft.has(unit.id));
      }
    }
    // Dots over labels: a label may run under another unit, but never hides it.
    for (const entry of placed) if (entry.label) this.drawLabel(context, entry, geometry);
    for (const entry of placed) this.drawDot(context, entry, geometry);
    this.placed = placed;
    this.drawnUnits = this.units;
  }

  private drawDot(context: CanvasRenderingContext2D, { unit, x, y }: Placed, geometry: Geometry): void {
    const colour = (this.colours as Record<UnitTone, string>)[unit.tone];
    const { radius, size, rem } = geometry;
    if (unit.heading !== null && unit.tone !== 'stale' && unit.tone !== 'crash') {
      const angle = (unit.heading * Math.PI) / 180;
      const tip = 0.8 * size;
      const base = tip - 0.6 * rem;
      const half = 0.35 * rem;
      const sin = Math.sin(angle);
      const cos = Math.cos(angle);
      // Points of a triangle pointing up, turned clockwise by the heading (screen y grows downwards).
      const at = (px: number, py: number): [number, number] => [x + px * cos - py * sin, y + px * sin + py * cos];
      context.beginPath();
      context.moveTo(...at(0, -tip));
      context.lineTo(...at(half, -base));
      context.lineTo(...at(-half, -base));
      context.closePath();
      context.fillStyle = colour;
      context.fill();
    }
    const circle = (r: number, fill: string) => {
      context.beginPath();
      context.arc(x, y, r, 0, 2 * Math.PI);
      context.fillStyle = fill;
      context.fill();
    };
    if (unit.selected) circle(radius + 6, this.focusColour);
    circle(radius + 2, colour);
    circle(radius, OUTLINE);
    circle(radius - 3, colour);
  }

  private drawLabel(context: CanvasRenderingContext2D, { unit, label }: Placed, geometry: Geometry): void {
    if (!label) return;
    const colour = (this.colours as Record<UnitTone, string>)[unit.tone];
    const radius = 0.25 * geometry.rem;
    context.beginPath();
    context.roundRect(label.x + 0.5, label.y + 0.5, label.width - 1, label.height - 1, radius);
    context.fillStyle = LABEL_BACKGROUND;
    context.fill();
    context.strokeStyle = colour;
    context.lineWidth = 1;
    context.stroke();
    context.fillStyle = colour;
    context.textBaseline = 'middle';
    context.fillText(unit.label, label.x + 0.35 * 0.85 * geometry.rem + 1, label.y + label.height / 2 + 0.5);
  }

  /** The width of a label with this text, padding and border included, cached by text. */
  private labelWidth(text: string, context: CanvasRenderingContext2D, rem: number): number {
    const known = this.labelWidths.get(text);
    if (known !== undefined) return known;
    const width = Math.ceil(context.measureText(text).width + 2 * 0.35 * 0.85 * rem + 2);
    if (this.labelWidths.size > 5000) this.labelWidths.clear();
    this.labelWidths.set(text, width);
    return width;
  }

  private labelBox(entry: Placed, context: CanvasRenderingContext2D, geometry: Geometry, left: boolean) {
    const { rem, size, labelHeight } = geometry;
    const width = this.labelWidth(entry.unit.label, context, rem);
    const gap = size / 2 + 0.3 * rem;
    return {
      x: Math.round(left ? entry.x - gap - width : entry.x + gap),
      y: Math.round(entry.y - size / 2 + 0.1 * rem),
      width,
      height: labelHeight,
    };
  }

  /**
   * Hides labels that would overlap a more urgent one and draws a label left of its marker near the right edge,
   * so that no label is cut off.
   */
  private layoutLabels(
    placed: readonly Placed[],
    context: CanvasRenderingContext2D,
    width: number,
    geometry: Geometry,
  ) {
    const boxes: LabelBox[] = [];
    const left = new Set<string>();
    for (const entry of placed) {
      const right = this.labelBox(entry, context, geometry, false);
      const onLeft = right.x + right.width > width;
      if (onLeft) left.add(entry.unit.id);
      const box = onLeft ? this.labelBox(entry, context, geometry, true) : right;
      boxes.push({
        id: entry.unit.id,
        ...box,
        priority: entry.unit.selected ? -1 : LABEL_PRIORITY[entry.unit.tone],
      });
    }
    this.shownLabels = visibleLabels(boxes);
    this.labelLeft = left;
  }

  /** The unit drawn on top at a point of the map (its dot, or its label when shown), if any. */
  private unitAt(point: L.Point): MapUnit | null {
    const reach = (this.geometry?.radius ?? 9) + 4;
    for (let index = this.placed.length - 1; index >= 0; index -= 1) {
      const { unit, x, y, label } = this.placed[index] as Placed;
      if (Math.hypot(point.x - x, point.y - y) <= reach) return unit;
      if (
        label &&
        point.x >= label.x &&
        point.x <= label.x + label.width &&
        point.y >= label.y &&
        point.y <= label.y + label.height
      ) {
        return unit;
      }
    }
    return null;
  }

  private clicked(event: L.LeafletMouseEvent): void {
    const unit = this.unitAt(event.containerPoint);
    if (unit) this.onSelect(unit.id);
  }

  private hovered(event: L.LeafletMouseEvent): void {
    const unit = this.unitAt(event.containerPoint);
    const id = unit?.id ?? null;
    if (id === this.hoveredId) return;
    this.hoveredId = id;
    const container = this._map.getContainer();
    container.style.cursor = unit ? 'pointer' : '';
    if (unit) container.title = unit.title;
    else container.removeAttribute('title');
    this.requestDraw();
  }

  private left(): void {
    if (this.hoveredId === null) return;
    this.hoveredId = null;
    this._map.getContainer().removeAttribute('title');
    this._map.getContainer().style.cursor = '';
    this.requestDraw();
  }
}

/** True when both lists have the same units with the same labels and selection, in the same order. */
function sameLabels(a: readonly MapUnit[], b: readonly MapUnit[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index += 1) {
    const x = a[index] as MapUnit;
    const y = b[index] as MapUnit;
    if (x.id !== y.id || x.label !== y.label || x.selected !== y.selected) return false;
  }
  return true;
}

const drawRank = (unit: MapUnit) => (unit.selected ? 3 : DRAW_ORDER[unit.tone]);
