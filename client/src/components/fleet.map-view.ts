import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { decimalsOf, formatCoordinate, gridStep, gridValues } from '../logic/graticule';
import type { ReplaySample } from '../logic/replay.timing';
import { appearanceOf, formatSpeed } from '../logic/speed.state';
import { isStale } from '../logic/staleness';
import { segmentsByState } from '../logic/track.segments';
import type { FleetEntry, TrackingPoint } from '../store/dashboard.state';

export interface MapOptions {
  readonly tileUrl: string | null;
  readonly tileAttribution: string | null;
  readonly onSelect: (ambulanceId: string) => void;
}

interface MarkerEntry {
  readonly marker: L.Marker;
  readonly element: HTMLDivElement;
  readonly label: HTMLSpanElement;
  readonly arrow: HTMLSpanElement;
  key: string;
}

const FIT_MAX_ZOOM = 15;

function remInPixels(): number {
  return Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

/**
 * The fleet on a Leaflet map that needs no internet: a lat/lon grid with labels and a scale bar as background
 * (tiles only when a tile URL is configured), one labelled marker per ambulance, the selected ambulance's live
 * track, and the replay track with its moving marker. Markers carry data attributes that tests read.
 */
export class FleetMapView {
  private readonly map: L.Map;
  private readonly grid = L.layerGroup();
  private readonly liveTrack = L.layerGroup();
  private readonly replayTrack = L.layerGroup();
  private readonly markers = new Map<string, MarkerEntry>();
  private replayMarker: L.CircleMarker | null = null;
  private fitted = false;

  constructor(
    container: HTMLElement,
    private readonly options: MapOptions,
  ) {
    this.map = L.map(container, {
      center: [20, 0],
      zoom: 2,
      worldCopyJump: false,
      keyboard: true,
      attributionControl: options.tileUrl !== null,
      zoomSnap: 0.25,
      zoomControl: false,
    });
    L.control.zoom({ position: 'bottomright' }).addTo(this.map);
    if (options.tileUrl) {
      L.tileLayer(options.tileUrl, { attribution: options.tileAttribution ?? '', maxZoom: 19 }).addTo(this.map);
    }
    this.grid.addTo(this.map);
    this.liveTrack.addTo(this.map);
    this.replayTrack.addTo(this.map);
    L.control.scale({ metric: true, imperial: false, maxWidth: 160 }).addTo(this.map);
    this.map.on('moveend zoomend resize', () => this.drawGrid());
    this.drawGrid();
  }

  destroy(): void {
    this.map.remove();
  }

  invalidateSize(): void {
    this.map.invalidateSize();
  }

  setFleet(
    fleet: ReadonlyMap<string, FleetEntry>,
    nowMs: number,
    staleAfterSeconds: number,
    selectedId: string | null,
  ) {
    for (const entry of fleet.values()) {
      const position = entry.position;
      if (!position) continue;
      const stale = isStale(position.recordedAt, nowMs, staleAfterSeconds);
      const key = `${position.id}|${stale}|${entry.id === selectedId}`;
      const existing = this.markers.get(entry.id) ?? this.createMarker(entry.id);
      if (existing.key === key) continue;
      existing.key = key;
      this.drawMarker(existing, position, stale, entry.id === selectedId);
    }
    for (const [id, entry] of this.markers) {
      if (!fleet.get(id)?.position) {
        entry.marker.remove();
        this.markers.delete(id);
      }
    }
    if (!this.fitted && this.markers.size > 0) {
      this.fitted = true;
      this.fitFleet();
    }
  }

  /** Shows every ambulance (the map does not move by itself after the first time). */
  fitFleet(): void {
    const positions = [...this.markers.values()].map((entry) => entry.marker.getLatLng());
    if (positions.length === 0) return;
    if (positions.length === 1) this.map.setView(positions[0] as L.LatLng, 14);
    else this.map.fitBounds(L.latLngBounds(positions).pad(0.15), { maxZoom: FIT_MAX_ZOOM });
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
    L.polyline(
      points.map((point) => [point.latitude, point.longitude] as [number, number]),
      { color: '#c9d6ea', weight: 3, opacity: 0.75, interactive: false, className: 'live-track' },
    ).addTo(this.liveTrack);
  }

  setReplayTrack(points: readonly TrackingPoint[]): void {
    this.replayTrack.clearLayers();
    this.replayMarker = null;
    if (points.length === 0) return;
    for (const segment of segmentsByState(points)) {
      L.polyline(segment.path as Array<[number, number]>, {
        color: appearanceOf(segment.state, false).colour,
        weight: 6,
        opacity: 0.95,
        interactive: false,
        className: `replay-track replay-${segment.state.toLowerCase()}`,
      }).addTo(this.replayTrack);
    }
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
    const entry: MarkerEntry = { marker, element, label, arrow, key: '' };
    this.markers.set(id, entry);
    return entry;
  }

  private drawMarker(entry: MarkerEntry, position: TrackingPoint, stale: boolean, selected: boolean): void {
    const look = appearanceOf(position.state, stale);
    entry.marker.setLatLng([position.latitude, position.longitude]);
    entry.marker.setZIndexOffset(selected ? 1000 : stale ? -100 : 0);
    if (!entry.marker.getElement()) entry.marker.addTo(this.map);
    const { element } = entry;
    element.className = `fleet-marker tone-${look.tone}${selected ? ' selected' : ''}`;
    element.dataset.state = position.state;
    element.dataset.stale = String(stale);
    element.dataset.lat = String(position.latitude);
    element.dataset.lon = String(position.longitude);
    element.dataset.speed = String(position.speed ?? '');
    element.title = `Ambulance ${position.ambulanceId}: ${look.description}, ${formatSpeed(position.speed)}`;
    entry.label.textContent = `${position.ambulanceId} · ${stale ? 'STALE' : position.state}`;
    entry.arrow.hidden = position.heading === null || stale;
    entry.arrow.style.transform = `rotate(${position.heading ?? 0}deg)`;
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
