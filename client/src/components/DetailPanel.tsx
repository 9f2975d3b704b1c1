import { useEffect, useRef } from 'react';
import { formatSpeed } from '../logic/speed.state';
import { ageSeconds, formatAgo } from '../logic/staleness';
import { formatPosition, formatTime } from '../logic/time.format';
import { lastReportText, unitPlace, unitStatus } from '../logic/unit.status';
import { useDashboard, useNow, useServices } from '../store/dashboard.context';
import type { Crash, TrackingPoint } from '../store/dashboard.state';
import { LIVE_TRACK_MINUTES } from '../store/selection.store';
import { useCrashes, useOfflineAfter, useStaleAfter } from '../store/units.hooks';
import { SnapshotGallery } from './SnapshotGallery';
import { UnitBadge } from './UnitBadge';
import { UnitStatusMenu } from './UnitStatusMenu';

function trackSummary(track: readonly TrackingPoint[]): string {
  const first = track[0];
  if (!first) return `no reports in the last ${LIVE_TRACK_MINUTES} min`;
  return `${track.length} ${track.length === 1 ? 'report' : 'reports'} since ${formatTime(Date.parse(first.recordedAt))}`;
}

function CrashNotice({ crash, nowMs }: { crash: Crash; nowMs: number }) {
  const { store } = useServices();
  return (
    <div className="detail-crash" data-crash-id={crash.id}>
      <p>
        <strong>CRASH at {formatTime(Date.parse(crash.recordedAt))}</strong> (
        {formatAgo(ageSeconds(crash.recordedAt, nowMs))}), {formatSpeed(crash.speed)} at impact, at{' '}
        <button type="button" className="link-button" onClick={() => store.focusOn(crash.latitude, crash.longitude)}>
          {formatPosition(crash.latitude, crash.longitude)}
        </button>
      </p>
      <button type="button" className="acknowledge" onClick={() => store.acknowledge(crash.id)}>
        Acknowledge crash
      </button>
    </div>
  );
}

/** The selected ambulance: its state (a crash first), live position, recent track and snapshots. */
export function DetailPanel() {
  const { store } = useServices();
  const detail = useDashboard((state) => state.detail);
  const position = useDashboard((state) => (state.detail ? state.fleet.get(state.detail.ambulanceId)?.position : null));
  const crashes = useCrashes();
  const staleAfter = useStaleAfter();
  const offlineAfter = useOfflineAfter();
  const now = useNow();
  const heading = useRef<HTMLHeadingElement>(null);
  const ambulanceId = detail?.ambulanceId;

  useEffect(() => {
    if (!ambulanceId) return;
    // Once the unit tab is shown (it is switched to in the same render, and drawn a frame or two later).
    let frame = 0;
    let tries = 0;
    const focusWhenShown = () => {
      const element = heading.current;
      if (element?.checkVisibility()) element.focus();
      else if (tries++ < 30) frame = requestAnimationFrame(focusWhenShown);
    };
    frame = requestAnimationFrame(focusWhenShown);
    return () => cancelAnimationFrame(frame);
  }, [ambulanceId]);

  if (!detail) return <p className="muted">Select an ambulance in the fleet list or on the map.</p>;
  const crash = crashes.get(detail.ambulanceId);
  const status = unitStatus(position, crash, now, staleAfter, offlineAfter);
  const place = unitPlace(position, crash);
  return (
    <section
      className={`detail tone-${status.kind === 'crash' ? 'crash' : status.kind === 'live' ? status.state.toLowerCase() : 'stale'}`}
      aria-labelledby="detail-title"
      data-ambulance-id={detail.ambulanceId}
      data-status={status.kind}
      data-track-points={detail.track.length}
      data-track-loaded={detail.trackLoaded}
      onKeyDown={(event) => {
        if (event.key === 'Escape') store.select(null);
      }}
    >
      <div className="panel-heading">
        <h2 id="detail-title" ref={heading} tabIndex={-1}>
          Ambulance {detail.ambulanceId}
        </h2>
        <button type="button" onClick={() => store.select(null)} aria-label="Close the ambulance details">
          Close
        </button>
      </div>
      {crash ? <CrashNotice crash={crash} nowMs={now} /> : null}
      <UnitStatusMenu ambulanceId={detail.ambulanceId} />
      <dl className="facts">
        <div>
          <dt>State</dt>
          <dd className="detail-state">
            <UnitBadge status={status} />
          </dd>
        </div>
        {status.kind === 'live' ? (
          <div>
            <dt>Speed</dt>
            <dd className="detail-speed">{formatSpeed(status.speed)}</dd>
          </div>
        ) : null}
        {position && status.kind !== 'stale' ? (
          <div>
            <dt>Heading</dt>
            <dd>{position.heading === null ? '–' : `${Math.round(position.heading)}°`}</dd>
          </div>
        ) : null}
        <div>
          <dt>Last report</dt>
          <dd className="detail-last-report">
            {!position
              ? 'none yet'
              : status.kind === 'stale'
                ? lastReportText(status.lastReportMs, status.ageSeconds, status.offline)
                : `${formatTime(Date.parse(position.recordedAt))} (${formatAgo(ageSeconds(position.recordedAt, now))})`}
          </dd>
        </div>
        {place ? (
          <div>
            <dt>{position ? 'Position' : 'Crash position'}</dt>
            <dd>
              <button
                type="button"
                className="link-button"
                onClick={() => store.focusOn(place.latitude, place.longitude)}
              >
                {formatPosition(place.latitude, place.longitude)}
              </button>
            </dd>
          </div>
        ) : null}
        {position ? (
          <div>
            <dt>Track</dt>
            <dd>{detail.trackLoaded ? trackSummary(detail.track) : 'loading…'}</dd>
          </div>
        ) : null}
      </dl>
      <SnapshotGallery snapshots={detail.snapshots} loaded={detail.snapshotsLoaded} />
    </section>
  );
}
