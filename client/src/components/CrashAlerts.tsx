import { useEffect } from 'react';
import { formatSpeed } from '../logic/speed.state';
import { ageSeconds, formatAgo } from '../logic/staleness';
import { useDashboard, useNow, useServices } from '../store/dashboard.context';
import { StateBadge } from './StateBadge';
import { formatPosition, formatTime } from './time.format';

const BASE_TITLE = 'Ambulance fleet · Dispatch';

/** Crash alerts stay, stacked newest first, until a dispatcher acknowledges each one. */
export function CrashAlerts() {
  const { store } = useServices();
  const alerts = useDashboard((state) => state.alerts);
  const now = useNow();
  // A tab in the background still says that a crash waits for acknowledgement.
  useEffect(() => {
    document.title = alerts.length > 0 ? `(${alerts.length}) CRASH · ${BASE_TITLE}` : BASE_TITLE;
  }, [alerts.length]);
  if (alerts.length === 0) return null;
  return (
    <section
      className="alerts"
      aria-label={`Crash alerts: ${alerts.length} not acknowledged`}
      data-alert-count={alerts.length}
    >
      {alerts.map((crash) => {
        const recordedMs = Date.parse(crash.recordedAt);
        return (
          <article
            key={crash.id}
            className="alert"
            role="alert"
            data-crash-id={crash.id}
            data-ambulance-id={crash.ambulanceId}
          >
            <h2 className="alert-title">
              <span aria-hidden="true">⚠ </span>CRASH · Ambulance {crash.ambulanceId}
            </h2>
            <dl className="alert-facts">
              <div>
                <dt>When</dt>
                <dd>
                  {formatTime(recordedMs)} ({formatAgo(ageSeconds(crash.recordedAt, now))})
                </dd>
              </div>
              <div>
                <dt>Where</dt>
                <dd className="alert-position">{formatPosition(crash.latitude, crash.longitude)}</dd>
              </div>
              <div>
                <dt>Speed</dt>
                <dd className="alert-speed">
                  {formatSpeed(crash.speed)} <StateBadge state={crash.state} stale={false} />
                </dd>
              </div>
            </dl>
            <div className="alert-actions">
              <button
                type="button"
                onClick={() => {
                  store.select(crash.ambulanceId);
                  store.focusOn(crash.latitude, crash.longitude);
                }}
              >
                Show on map
              </button>
              <button type="button" className="acknowledge" onClick={() => store.acknowledge(crash.id)}>
                Acknowledge
              </button>
            </div>
          </article>
        );
      })}
    </section>
  );
}
