import { useEffect } from 'react';
import { formatSpeed } from '../logic/speed.state';
import { ageSeconds, formatAgo } from '../logic/staleness';
import { formatPosition, formatTime } from '../logic/time.format';
import { useDashboard, useNow, useServices } from '../store/dashboard.context';

const BASE_TITLE = 'Ambulance fleet · Dispatch';

/** Crash alerts stay, one compact line each, newest first, until a dispatcher acknowledges each one. */
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
      <div className="alert-list">
        {alerts.map((crash) => {
          const recordedMs = Date.parse(crash.recordedAt);
          return (
            <div
              key={crash.id}
              className="alert"
              role="alert"
              data-crash-id={crash.id}
              data-ambulance-id={crash.ambulanceId}
            >
              <h2 className="alert-title">
                <span aria-hidden="true">⚠ </span>CRASH · <span className="alert-word">Ambulance </span>
                {crash.ambulanceId}
              </h2>
              <p className="alert-facts">
                <span className="alert-time">
                  {formatTime(recordedMs)} ({formatAgo(ageSeconds(crash.recordedAt, now))})
                </span>
                <span className="alert-position">{formatPosition(crash.latitude, crash.longitude)}</span>
                <span className="alert-speed">{formatSpeed(crash.speed)} at impact</span>
              </p>
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
            </div>
          );
        })}
      </div>
    </section>
  );
}
