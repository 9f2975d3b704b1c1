import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { decimalsOf, formatCoordinate, gridStep, gridValues } from '../logic/graticule';
import type { ReplaySample } from '../logic/replay.timing';
import { appearanceOf } from '../logic/speed.state';
import { segmentsByState } from '../logic/track.segments';
import type { TrackingPoint } from '../store/dashboard.state';
import { pmtilesLayer } from './basemap.layer';
import { type DrawnMarker, FleetUnitsLayer, type MapUnit } from './fleet.units-layer';

export type { DrawnMarker, MapUnit };

export interface MapOptions {
  readonly pmtilesUrl: string | null;
  readonly tileUrl: string | null;
  readonly tileAttribution: string | null;
  readonly onSelect: (ambulanceId: string) => void;
}

export interface MapCrash {
  readonly id: string;
  readonly ambulanceId: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly title: string;
}

const FIT_MAX_ZOOM = 15;
/** Units are drawn above tracks (overlay pane, 400) and below crash markers (marker pane, 600). */
const UNITS_PANE = 'fleetUnits';

function remInPixels(): number {
  return Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

/**
 * The fleet on a Leaflet map that needs no internet: a lat/lon grid with labels and a scale bar as background
 * (tiles only when a tile URL is configured), every ambulance as a labelled dot on one canvas (FleetUnitsLayer),
 * a crash marker per unacknowledged crash, the selected ambulance's live track in the colours of its states, and
 * the replay track with its moving marker. Crash markers carry data attributes that tests read; the units drawn
 * are described by `describeMarkers` (the container's `fleetMarkers()`, for tests).
 */
export class FleetMapView {
  private readonly map: L.Map;
  private readonly grid = L.layerGroup();
  private readonly liveTrack = L.layerGroup();
  private readonly replayTrack = L.layerGroup();
  private readonly crashLayer = L.layerGroup();
  private readonly units: FleetUnitsLayer;
  private shown: readonly MapUnit[] = [];
  private readonly crashMarkers = new Map<string, L.Marker>();
  private replayMarker: L.CircleMarker | null = null;
  private fitted = false;
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
    const pane = this.map.createPane(UNITS_PANE);
    pane.style.zIndex = '590';
    this.units = new FleetUnitsLayer(options.onSelect, UNITS_PANE);
    this.units.addTo(this.map);
    // For tests: what the canvas shows, unit by unit, in page coordinates.
    Object.defineProperty(container, 'fleetMarkers', {
      configurable: true,
      value: () => this.describeMarkers(),
    });
    L.control.scale({ metric: true, imperial: false, maxWidth: 160 }).addTo(this.map);
    this.map.on('moveend zoomend resize', () => this.drawGrid());
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
    this.map.remove();
  }

  invalidateSize(): void {
    this.map.invalidateSize();
  }

  setUnits(units: readonly MapUnit[]): void {
    this.units.setUnits(units);
    this.shown = units;
    if (!this.fitted && units.length > 0) {
      this.fitted = true;
      this.fitFleet();
    }
  }

  /** The units as the canvas last drew them (page coordinates), for tests. */
  describeMarkers(): DrawnMarker[] {
    return this.units.describe();
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
    const positions = this.shown.map((unit) => L.latLng(unit.latitude, unit.longitude));
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
