import { useEffect, useRef } from 'react';
import { appearanceOf, formatSpeed } from '../logic/speed.state';
import { ageSeconds, formatAgo, isStale } from '../logic/staleness';
import { useDashboard, useNow, useServices } from '../store/dashboard.context';
import type { TrackingPoint } from '../store/dashboard.state';
import { LIVE_TRACK_MINUTES } from '../store/selection.store';
import { ReplayPanel } from './ReplayPanel';
import { SnapshotGallery } from './SnapshotGallery';
import { StateBadge } from './StateBadge';
import { formatPosition, formatTime } from './time.format';

function trackSummary(track: readonly TrackingPoint[]): string {
  const first = track[0];
  if (!first) return `no reports in the last ${LIVE_TRACK_MINUTES} min`;
  return `${track.length} ${track.length === 1 ? 'report' : 'reports'} since ${formatTime(Date.parse(first.recordedAt))}`;
}

/** The selected ambulance: live position, recent track, snapshots and history replay. */
export function DetailPanel() {
  const { store } = useServices();
  const detail = useDashboard((state) => state.detail);
  const position = useDashboard((state) => (state.detail ? state.fleet.get(state.detail.ambulanceId)?.position : null));
  const staleAfter = useDashboard((state) => state.settings?.staleAfterSeconds ?? 60);
  const now = useNow();
  const heading = useRef<HTMLHeadingElement>(null);
  const ambulanceId = detail?.ambulanceId;

  useEffect(() => {
    if (ambulanceId) heading.current?.focus();
  }, [ambulanceId]);

  if (!detail) return null;
  const stale = position ? isStale(position.recordedAt, now, staleAfter) : true;
  return (
    <section
      className={`detail tone-${position ? appearanceOf(position.state, stale).tone : 'stale'}`}
      aria-labelledby="detail-title"
      data-ambulance-id={detail.ambulanceId}
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
      {position ? (
        <dl className="facts">
          <div>
            <dt>State</dt>
            <dd>
              <StateBadge state={position.state} stale={stale} />
            </dd>
          </div>
          <div>
            <dt>Speed</dt>
            <dd className="detail-speed">{formatSpeed(position.speed)}</dd>
          </div>
          <div>
            <dt>Heading</dt>
            <dd>{position.heading === null ? '–' : `${Math.round(position.heading)}°`}</dd>
          </div>
          <div>
            <dt>Last report</dt>
            <dd>
              {formatTime(Date.parse(position.recordedAt))} ({formatAgo(ageSeconds(position.recordedAt, now))})
            </dd>
          </div>
          <div>
            <dt>Position</dt>
            <dd>
              <button
                type="button"
                className="link-button"
                onClick={() => store.focusOn(position.latitude, position.longitude)}
              >
                {formatPosition(position.latitude, position.longitude)}
              </button>
            </dd>
          </div>
          <div>
            <dt>Track</dt>
            <dd>{detail.trackLoaded ? trackSummary(detail.track) : 'loading…'}</dd>
          </div>
        </dl>
      ) : (
        <p className="muted">No position reported yet.</p>
      )}
      <SnapshotGallery snapshots={detail.snapshots} loaded={detail.snapshotsLoaded} />
      <ReplayPanel ambulanceId={detail.ambulanceId} />
    </section>
  );
}
