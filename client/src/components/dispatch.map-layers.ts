import L from 'leaflet';
import type { DispatchStore, Place } from '../store/dispatch.store';

const PLACE_SYMBOLS = { HOSPITAL: 'H', STATION: 'S', BASE: 'B', OTHER: '•' } as const;

function placeLayer(place: Place): L.Layer {
  const kind = place.kind.toLowerCase();
  const area =
    place.polygon && place.polygon.length >= 3
      ? L.polygon(
          place.polygon.map((point) => [point.latitude, point.longitude] as [number, number]),
          { className: `place-area place-${kind}`, interactive: false },
        )
      : L.circle([place.latitude, place.longitude], {
          radius: place.radiusMeters ?? 0,
          className: `place-area place-${kind}`,
          interactive: false,
        });
  const element = document.createElement('div');
  element.className = `place-marker place-${kind}`;
  element.dataset.placeId = place.id;
  element.dataset.placeKind = place.kind;
  element.title = `${place.name} (${kind})`;
  element.textContent = PLACE_SYMBOLS[place.kind];
  const label = document.createElement('span');
  label.className = 'place-label';
  label.textContent = place.name;
  element.append(label);
  const marker = L.marker([place.latitude, place.longitude], {
    // Beside the place's centre, not on it: a unit at the place keeps its own marker in view.
    icon: L.divIcon({ html: element, className: 'place-icon', iconSize: [22, 22], iconAnchor: [34, 11] }),
    keyboard: false,
    interactive: false,
  });
  return L.layerGroup([area, marker]);
}

/**
 * Draws the places (a hospital symbol "H" for hospitals) and the nearest-units target on the fleet map, and
 * hands a map click to the nearest-units tool while it waits for one. Returns the release.
 */
export function attachDispatchLayers(map: L.Map, dispatch: DispatchStore): () => void {
  const places = L.layerGroup().addTo(map);
  const target = L.layerGroup().addTo(map);
  let shownPlaces: readonly Place[] | null = null;
  let shownTarget: unknown = null;
  const draw = () => {
    const state = dispatch.getState();
    if (state.places !== shownPlaces) {
      shownPlaces = state.places;
      places.clearLayers();
      for (const place of state.places) places.addLayer(placeLayer(place));
    }
    if (state.nearest.target !== shownTarget) {
      shownTarget = state.nearest.target;
      target.clearLayers();
      if (state.nearest.target) {
        const { latitude, longitude } = state.nearest.target;
        L.circleMarker([latitude, longitude], { radius: 9, className: 'nearest-target', interactive: false }).addTo(
          target,
        );
      }
    }
    map.getContainer().classList.toggle('picking', state.picking);
  };
  const onClick = (event: L.LeafletMouseEvent) => {
    if (!dispatch.getState().picking) return;
    void dispatch.findNearest(event.latlng.lat, event.latlng.lng);
  };
  map.on('click', onClick);
  const release = dispatch.subscribe(draw);
  draw();
  return () => {
    release();
    map.off('click', onClick);
    places.remove();
    target.remove();
  };
}
