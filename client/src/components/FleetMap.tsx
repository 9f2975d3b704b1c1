import { useEffect, useRef } from 'react';
import { useDashboard, useNow, useServices } from '../store/dashboard.context';
import { FleetMapView } from './fleet.map-view';

/** The map-like fleet view; Leaflet draws it, React feeds it. */
export function FleetMap() {
  const { store, replayCursor } = useServices();
  const container = useRef<HTMLElement>(null);
  const view = useRef<FleetMapView | null>(null);
  const settings = useDashboard((state) => state.settings);
  const fleet = useDashboard((state) => state.fleet);
  const selectedId = useDashboard((state) => state.selectedId);
  const track = useDashboard((state) => state.detail?.track);
  const replayPoints = useDashboard((state) => state.replay.points);
  const focus = useDashboard((state) => state.mapFocus);
  const now = useNow(5000);
  const staleAfter = settings?.staleAfterSeconds ?? 60;

  useEffect(() => {
    if (!container.current || !settings) return;
    const map = new FleetMapView(container.current, {
      tileUrl: settings.tileUrl,
      tileAttribution: settings.tileAttribution,
      onSelect: (id) => store.select(id),
    });
    view.current = map;
    const resize = new ResizeObserver(() => map.invalidateSize());
    resize.observe(container.current);
    const releaseCursor = replayCursor.subscribe((value) => map.setReplayPosition(value?.sample ?? null));
    return () => {
      releaseCursor();
      resize.disconnect();
      map.destroy();
      view.current = null;
    };
  }, [settings, store, replayCursor]);

  useEffect(() => {
    view.current?.setFleet(fleet, now, staleAfter, selectedId);
  }, [fleet, now, staleAfter, selectedId]);

  useEffect(() => {
    view.current?.setLiveTrack(track ?? []);
  }, [track]);

  useEffect(() => {
    view.current?.setReplayTrack(replayPoints);
  }, [replayPoints]);

  useEffect(() => {
    if (focus) view.current?.focus(focus.latitude, focus.longitude);
  }, [focus]);

  useEffect(() => {
    const position = selectedId ? store.getState().fleet.get(selectedId)?.position : null;
    if (position) view.current?.reveal(position.latitude, position.longitude);
  }, [selectedId, store]);

  return (
    <div className="map-area">
      <section
        ref={container}
        className="map"
        aria-label="Fleet map (lat/lon grid; the fleet list beside it has the same information)"
        data-replay-points={replayPoints.length}
        data-track-points={track?.length ?? 0}
      />
      <button type="button" className="map-fit" onClick={() => view.current?.fitFleet()}>
        Fit fleet
      </button>
    </div>
  );
}
