import { useEffect, useMemo, useRef } from 'react';
import { formatSpeed } from '../logic/speed.state';
import { formatPosition, formatTime } from '../logic/time.format';
import { lastReportText, statusLabel, toneOf, unitPlace, unitStatus } from '../logic/unit.status';
import { useDashboard, useNow, useServices } from '../store/dashboard.context';
import { useCrashes, useOfflineAfter, useStaleAfter } from '../store/units.hooks';
import { attachDispatchLayers } from './dispatch.map-layers';
import { FleetMapView, type MapCrash, type MapUnit } from './fleet.map-view';

/** The map-like fleet view; Leaflet draws it, React feeds it. */
export function FleetMap() {
  const { store, replayCursor } = useServices();
  const container = useRef<HTMLElement>(null);
  const view = useRef<FleetMapView | null>(null);
  const settings = useDashboard((state) => state.settings);
  const fleet = useDashboard((state) => state.fleet);
  const alerts = useDashboard((state) => state.alerts);
  const selectedId = useDashboard((state) => state.selectedId);
  const track = useDashboard((state) => state.detail?.track);
  const replayPoints = useDashboard((state) => state.replay.points);
  const focus = useDashboard((state) => state.mapFocus);
  const crashes = useCrashes();
  const now = useNow(5000);
  const staleAfter = useStaleAfter();
  const offlineAfter = useOfflineAfter();

  const units = useMemo(() => {
    const shown: MapUnit[] = [];
    for (const entry of fleet.values()) {
      const crash = crashes.get(entry.id);
      const place = unitPlace(entry.position, crash);
      if (!place) continue;
      const status = unitStatus(entry.position, crash, now, staleAfter, offlineAfter);
      const word = status.kind === 'crash' ? 'CRASH' : statusLabel(status);
      const detail =
        status.kind === 'live'
          ? formatSpeed(status.speed)
          : status.kind === 'stale'
            ? lastReportText(status.lastReportMs, status.ageSeconds, status.offline)
            : status.kind === 'crash'
              ? `crash at ${formatTime(status.crashMs)}`
              : '';
      shown.push({
        id: entry.id,
        ...place,
        tone: toneOf(status),
        label: `${entry.id} · ${word}`,
        heading: entry.position?.heading ?? null,
        title: `Ambulance ${entry.id}: ${statusLabel(status)}, ${detail}`,
        selected: entry.id === selectedId,
        state: entry.position?.state ?? '',
        status: status.kind,
        speed: entry.position?.speed ?? null,
      });
    }
    return shown;
  }, [fleet, crashes, now, staleAfter, offlineAfter, selectedId]);

  const crashMarks = useMemo<MapCrash[]>(
    () =>
      alerts.map((crash) => ({
        id: crash.id,
        ambulanceId: crash.ambulanceId,
        latitude: crash.latitude,
        longitude: crash.longitude,
        title: `Crash of ambulance ${crash.ambulanceId} at ${formatTime(Date.parse(crash.recordedAt))}, ${formatPosition(crash.latitude, crash.longitude)}`,
      })),
    [alerts],
  );

  useEffect(() => {
    if (!container.current || !settings) return;
    const map = new FleetMapView(container.current, {
      pmtilesUrl: settings.pmtilesUrl,
      tileUrl: settings.tileUrl,
      tileAttribution: settings.tileAttribution,
      onSelect: (id) => store.select(id),
    });
    view.current = map;
    const resize = new ResizeObserver(() => map.invalidateSize());
    resize.observe(container.current);
    const releaseCursor = replayCursor.subscribe((value) => map.setReplayPosition(value?.sample ?? null));
    const releaseDispatch = attachDispatchLayers(map.leaflet, store.dispatch);
    return () => {
      releaseDispatch();
      releaseCursor();
      resize.disconnect();
      map.destroy();
      view.current = null;
    };
  }, [settings, store, replayCursor]);

  useEffect(() => {
    view.current?.setUnits(units);
  }, [units]);

  useEffect(() => {
    view.current?.setCrashes(crashMarks);
  }, [crashMarks]);

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
    if (!selectedId) return;
    const state = store.getState();
    const place = unitPlace(
      state.fleet.get(selectedId)?.position,
      state.alerts.find((crash) => crash.ambulanceId === selectedId),
    );
    if (place) view.current?.reveal(place.latitude, place.longitude);
  }, [selectedId, store]);

  return (
    <div className="map-area">
      <section
        ref={container}
        className="map"
        aria-label="Fleet map (the fleet list has the same information)"
        data-replay-points={replayPoints.length}
        data-track-points={track?.length ?? 0}
        data-crash-markers={crashMarks.length}
      />
      <button type="button" className="map-fit" onClick={() => view.current?.fitFleet()}>
        Fit fleet
      </button>
    </div>
  );
}
