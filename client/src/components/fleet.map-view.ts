import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { decimalsOf, formatCoordinate, gridStep, gridValues } from '../logic/graticule';
import { type LabelBox, visibleLabels } from '../logic/label.layout';
import type { ReplaySample } from '../logic/replay.timing';
import { appearanceOf } from '../logic/speed.state';
import { segmentsByState } from '../logic/track.segments';
import type { UnitTone } from '../logic/unit.status';
import type { TrackingPoint } from '../store/dashboard.state';
import { pmtilesLayer } from './basemap.layer';

export interface MapOptions {
  readonly pmtilesUrl: string | null;
  readonly tileUrl: string | null;
  readonly tileAttribution: string | null;
  readonly onSelect: (ambulanceId: string) => void;
}

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

export interface MapCrash {
  readonly id: string;
  readonly ambulanceId: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly title: string;
}

interface MarkerEntry {
  readonly marker: L.Marker;
  readonly element: HTMLDivElement;
  readonly label: HTMLSpanElement;
  readonly arrow: HTMLSpanElement;
  key: string;
  unit: MapUnit | null;
}

const FIT_MAX_ZOOM = 15;
const LABEL_INTERVAL_MS = 500;
const LABEL_PRIORITY: Readonly<Record<UnitTone, number>> = { crash: 0, red: 1, orange: 2, green: 3, stale: 4 };

function remInPixels(): number {
  return Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

/**
 * The fleet on a Leaflet map that needs no internet: a lat/lon grid with labels and a scale bar as background
 * (tiles only when a tile URL is configured), one labelled marker per ambulance (labels that would overlap are
 * hidden, calmest first), a crash marker per unacknowledged crash, the selected ambulance's live track in the
 * colours of its states, and the replay track with its moving marker. Markers carry data attributes that tests
 * read.
 */
export class FleetMapView {
  private readonly map: L.Map;
  private readonly grid = L.layerGroup();
  private readonly liveTrack = L.layerGroup();
  private readonly replayTrack = L.layerGroup();
  private readonly crashLayer = L.layerGroup();
  private readonly markers = new Map<string, MarkerEntry>();
  private readonly crashMarkers = new Map<string, L.Marker>();
  private replayMarker: L.CircleMarker | null = null;
  private fitted = false;
  private labelFrame = 0;
  private labelTimer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;

  /** The Leaflet map, for layers drawn by other views (places, the nearest-units target). */
  get leaflet(): L.Map {
    return this.map;
  }

  constructor(
    container: HTMLElement,
    private readonly options: MapOptions,
  ) {
    this.map = L.map(container, {
      center: [20, 0],
      zoom: 2,
      worldCopyJump: false,
      keyboard: true,
      attributionControl: options.tileUrl !== null || options.pmtilesUrl !== null,
      zoomSnap: 0.25,
      zoomControl: false,
    });
    L.control.zoom({ position: 'bottomright' }).addTo(this.map);
    container.dataset.basemap = 'grid';
    if (options.pmtilesUrl) {
      void this.addPmtiles(container, options.pmtilesUrl);
    } else if (options.tileUrl) {
      L.tileLayer(options.tileUrl, { attribution: options.tileAttribution ?? '', maxZoom: 19 }).addTo(this.map);
      container.dataset.basemap = 'tiles';
    }
    this.grid.addTo(this.map);
    this.liveTrack.addTo(this.map);
    this.replayTrack.addTo(this.map);
    this.crashLayer.addTo(this.map);
    L.control.scale({ metric: true, imperial: false, maxWidth: 160 }).addTo(this.map);
    this.map.on('moveend zoomend resize', () => {
      this.drawGrid();
      this.scheduleLabels();
    });
    this.drawGrid();
  }

  /** The grid stays underneath: it is what the map shows when the archive cannot be read. */
  private async addPmtiles(container: HTMLElement, url: string): Promise<void> {
    try {
      const { layer, kind } = await pmtilesLayer(url, this.options.tileAttribution);
      if (this.destroyed) return;
      layer.addTo(this.map);
      if (layer instanceof L.GridLayer) layer.bringToBack();
      container.dataset.basemap = kind;
    } catch (error) {
      container.dataset.basemap = 'grid';
      console.warn('The offline base map could not be read; showing the grid', error);
    }
  }

  destroy(): void {
    this.destroyed = true;
    cancelAnimationFrame(this.labelFrame);
    clearTimeout(this.labelTimer);
    this.map.remove();
  }

  invalidateSize(): void {
    this.map.invalidateSize();
  }

  setUnits(units: readonly MapUnit[]): void {
    const shown = new Set<string>();
    for (const unit of units) {
      shown.add(unit.id);
      const key = `${unit.latitude}|${unit.longitude}|${unit.label}|${unit.tone}|${unit.heading}|${unit.selected}|${unit.title}`;
      const existing = this.markers.get(unit.id) ?? this.createMarker(unit.id);
      existing.unit = unit;
      if (existing.key === key) continue;
      existing.key = key;
      this.drawMarker(existing, unit);
    }
    for (const [id, entry] of this.markers) {
      if (!shown.has(id)) {
        entry.marker.remove();
        this.markers.delete(id);
      }
    }
    if (!this.fitted && this.markers.size > 0) {
      this.fitted = true;
      this.fitFleet();
    }
    // Positions change many times a second in a big fleet: labels are laid out again at most twice a second.
    this.labelTimer ??= setTimeout(() => {
      this.labelTimer = undefined;
      this.scheduleLabels();
    }, LABEL_INTERVAL_MS);
  }

  setCrashes(crashes: readonly MapCrash[]): void {
    const shown = new Set(crashes.map((crash) => crash.id));
    for (const [id, marker] of this.crashMarkers) {
      if (!shown.has(id)) {
        marker.remove();
        this.crashMarkers.delete(id);
      }
    }
    for (const crash of crashes) {
      if (this.crashMarkers.has(crash.id)) continue;
      const element = document.createElement('div');
      element.className = 'crash-marker';
      element.dataset.crashId = crash.id;
      element.dataset.ambulanceId = crash.ambulanceId;
      element.title = crash.title;
      element.textContent = '✕';
      const size = Math.round(1.6 * remInPixels());
      const marker = L.marker([crash.latitude, crash.longitude], {
        icon: L.divIcon({ html: element, className: 'crash-marker-icon', iconSize: [size, size] }),
        keyboard: false,
        zIndexOffset: 2000,
        title: crash.title,
      });
      marker.on('click', () => this.options.onSelect(crash.ambulanceId));
      marker.addTo(this.crashLayer);
      this.crashMarkers.set(crash.id, marker);
    }
  }

  /** Shows every ambulance (the map does not move by itself after the first time). */
  fitFleet(): void {
    const positions = [...this.markers.values()].map((entry) => entry.marker.getLatLng());
    if (positions.length === 0) return;
    if (positions.length === 1) {
      this.map.setView(positions[0] as L.LatLng, 14);
      return;
    }
    // Room on the right for the labels, which are drawn right of their markers.
    const rem = remInPixels();
    this.map.fitBounds(L.latLngBounds(positions), {
      maxZoom: FIT_MAX_ZOOM,
      paddingTopLeft: [2 * rem, 2 * rem],
      paddingBottomRight: [9 * rem, 2 * rem],
    });
  }

  focus(latitude: number, longitude: number): void {
    this.map.setView([latitude, longitude], Math.max(this.map.getZoom(), 14));
  }

  /** Pans to a position when it is off screen. */
  reveal(latitude: number, longitude: number): void {
    if (!this.map.getBounds().contains([latitude, longitude])) this.map.panTo([latitude, longitude]);
  }

  setLiveTrack(points: readonly TrackingPoint[]): void {
    this.liveTrack.clearLayers();
    if (points.length < 2) return;
    drawTrackByState(this.liveTrack, points, 'live', { weight: 4, opacity: 0.85 });
  }
  setReplayTrack(points: readonly TrackingPoint[]): void {
    this.replayTrack.clearLayers();
    this.replayMarker = null;
    if (points.length === 0) return;
    drawTrackByState(this.replayTrack, points, 'replay', { weight: 6, opacity: 0.95 });
    const bounds = L.latLngBounds(points.map((point) => [point.latitude, point.longitude] as [number, number]));
    this.map.fitBounds(bounds.pad(0.2), { maxZoom: 16 });
  }

  setReplayPosition(sample: ReplaySample | null): void {
    if (!sample) {
      this.replayMarker?.remove();
      this.replayMarker = null;
      return;
    }
    const colour = appearanceOf(sample.state, false).colour;
    if (!this.replayMarker) {
      this.replayMarker = L.circleMarker([sample.latitude, sample.longitude], {
        radius: 10,
        color: '#ffffff',
        weight: 3,
        fillColor: colour,
        fillOpacity: 1,
        interactive: false,
        className: 'replay-position',
      }).addTo(this.replayTrack);
    } else {
      this.replayMarker.setLatLng([sample.latitude, sample.longitude]);
      this.replayMarker.setStyle({ fillColor: colour });
    }
  }

  private createMarker(id: string): MarkerEntry {
    const element = document.createElement('div');
    element.className = 'fleet-marker';
    element.dataset.ambulanceId = id;
    const arrow = document.createElement('span');
    arrow.className = 'fleet-marker-arrow';
    const dot = document.createElement('span');
    dot.className = 'fleet-marker-dot';
    const label = document.createElement('span');
    label.className = 'fleet-marker-label';
    element.append(arrow, dot, label);
    // Markers grow with the root font size, like the rest of the page, so they stay visible on a wall display.
    const size = Math.round(1.75 * remInPixels());
    const marker = L.marker([0, 0], {
      icon: L.divIcon({
        html: element,
        className: 'fleet-marker-icon',
        iconSize: [size, size],
        iconAnchor: [size / 2, size / 2],
      }),
      keyboard: false,
      riseOnHover: true,
    });
    marker.on('click', () => this.options.onSelect(id));
    const entry: MarkerEntry = { marker, element, label, arrow, key: '', unit: null };
    this.markers.set(id, entry);
    return entry;
  }

  private drawMarker(entry: MarkerEntry, unit: MapUnit): void {
    entry.marker.setLatLng([unit.latitude, unit.longitude]);
    const zIndex = unit.selected ? 1000 : unit.tone === 'crash' ? 900 : unit.tone === 'stale' ? -100 : 0;
    if (entry.marker.options.zIndexOffset !== zIndex) entry.marker.setZIndexOffset(zIndex);
    if (!entry.marker.getElement()) entry.marker.addTo(this.map);
    const { element } = entry;
    const flipped = element.classList.contains('label-left') ? ' label-left' : '';
    const hidden = element.classList.contains('label-hidden') ? ' label-hidden' : '';
    element.className = `fleet-marker tone-${unit.tone}${unit.selected ? ' selected' : ''}${flipped}${hidden}`;
    element.dataset.state = unit.state;
    element.dataset.status = unit.status;
    element.dataset.stale = String(unit.tone === 'stale');
    element.dataset.lat = String(unit.latitude);
    element.dataset.lon = String(unit.longitude);
    element.dataset.speed = String(unit.speed ?? '');
    element.title = unit.title;
    entry.label.textContent = unit.label;
    entry.arrow.hidden = unit.heading === null || unit.tone === 'stale' || unit.tone === 'crash';
    entry.arrow.style.transform = `rotate(${unit.heading ?? 0}deg)`;
  }

  private readonly labelWidths = new Map<string, number>();
  private measure: CanvasRenderingContext2D | null = null;

  /** The width of a label with this text, padding and border included, cached by text. */
  private labelWidth(text: string, rem: number): number {
    const known = this.labelWidths.get(text);
    if (known !== undefined) return known;
    if (!this.measure) {
      this.measure = document.createElement('canvas').getContext('2d');
      const family = getComputedStyle(document.body).fontFamily;
      if (this.measure) this.measure.font = `700 ${0.85 * rem}px ${family}`;
    }
    const width = (this.measure?.measureText(text).width ?? text.length * 0.7 * 0.85 * rem) + 0.85 * rem * 0.7 + 2;
    if (this.labelWidths.size > 5000) this.labelWidths.clear();
    this.labelWidths.set(text, width);
    return width;
  }

  private scheduleLabels(): void {
    if (this.labelFrame !== 0) return;
    this.labelFrame = requestAnimationFrame(() => {
      this.labelFrame = 0;
      this.layoutLabels();
    });
  }

  /**
   * Hides labels that would overlap a more urgent one and draws a label left of its marker near the right edge,
   * so that no label is cut off. Label widths are measured on a canvas (a hidden label has no width in the page).
   */
  private layoutLabels(): void {
    const rem = remInPixels();
    const size = this.map.getSize();
    const labelHeight = 1.35 * 0.85 * rem;
    const half = (1.75 * rem) / 2;
    const boxes: LabelBox[] = [];
    const sides = new Map<string, boolean>();
    for (const [id, entry] of this.markers) {
      if (!entry.unit) continue;
      const point = this.map.latLngToContainerPoint(entry.marker.getLatLng());
      if (point.x < -200 || point.y < -50 || point.x > size.x + 200 || point.y > size.y + 50) continue;
      const width = this.labelWidth(entry.unit.label, rem);
      const left = point.x + half + 0.3 * rem + width > size.x;
      sides.set(id, left);
      boxes.push({
        id,
        x: left ? point.x - half - 0.3 * rem - width : point.x + half + 0.3 * rem,
        y: point.y - half,
        width,
        height: labelHeight,
        priority: entry.unit.selected ? -1 : LABEL_PRIORITY[entry.unit.tone],
      });
    }
    const visible = visibleLabels(boxes);
    for (const [id, entry] of this.markers) {
      const hidden = !visible.has(id);
      const left = sides.get(id) === true;
      // Touch the DOM only for labels that change: most stay as they were.
      if (entry.element.classList.contains('label-hidden') !== hidden) entry.element.classList.toggle('label-hidden');
      if (entry.element.classList.contains('label-left') !== left) entry.element.classList.toggle('label-left');
    }
  }

  private drawGrid(): void {
    this.grid.clearLayers();
    const bounds = this.map.getBounds();
    const south = Math.max(-85, bounds.getSouth());
    const north = Math.min(85, bounds.getNorth());
    const west = Math.max(-180, bounds.getWest());
    const east = Math.min(180, bounds.getEast());
    const size = this.map.getSize();
    // About one line per 6 rem of height and per 10 rem of width, so that labels never overlap on any screen.
    const rem = remInPixels();
    const latitudeStep = gridStep(north - south, size.y / (6 * rem));
    const longitudeStep = gridStep(east - west, size.x / (10 * rem));
    const style = { color: '#3a4a63', weight: 1, opacity: 0.9, interactive: false, className: 'grid-line' };
    for (const latitude of gridValues(south, north, latitudeStep)) {
      L.polyline(
        [
          [latitude, west],
          [latitude, east],
        ],
        style,
      ).addTo(this.grid);
      this.gridLabel([latitude, west], formatCoordinate(latitude, 'lat', decimalsOf(latitudeStep)), 'grid-label-lat');
    }
    for (const longitude of gridValues(west, east, longitudeStep)) {
      L.polyline(
        [
          [south, longitude],
          [north, longitude],
        ],
        style,
      ).addTo(this.grid);
      this.gridLabel(
        [north, longitude],
        formatCoordinate(longitude, 'lon', decimalsOf(longitudeStep)),
        'grid-label-lon',
      );
    }
  }

  private gridLabel(position: [number, number], text: string, className: string): void {
    L.marker(position, {
      icon: L.divIcon({ html: `<span>${text}</span>`, className: `grid-label ${className}`, iconSize: undefined }),
      interactive: false,
      keyboard: false,
    }).addTo(this.grid);
  }
}

/** A track as one polyline per run of one speed state, in that state's colour (classes `<kind>-track <kind>-<state>`). */
function drawTrackByState(
  layer: L.LayerGroup,
  points: readonly TrackingPoint[],
  kind: 'live' | 'replay',
  style: { readonly weight: number; readonly opacity: number },
): void {
  for (const segment of segmentsByState(points)) {
    L.polyline(segment.path as Array<[number, number]>, {
      color: appearanceOf(segment.state, false).colour,
      ...style,
      interactive: false,
      className: `${kind}-track ${kind}-${segment.state.toLowerCase()}`,
    }).addTo(layer);
  }
}
