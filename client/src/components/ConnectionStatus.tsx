import { useEffect, useState } from 'react';
import { connectionView } from '../logic/connection.view';
import { formatTime } from '../logic/time.format';
import { useDashboard } from '../store/dashboard.context';

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** Always visible: whether the picture is live, and since when it is or is not. */
export function ConnectionStatus() {
  const connection = useDashboard((state) => state.connection);
  const online = useOnline();
  // Local clock: these times are the browser's own observations.
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const view = connectionView(connection.status, connection.sinceMs, now, online, formatTime);
  return (
    <div
      className={`connection tone-${view.tone}`}
      role="status"
      aria-live="polite"
      data-connection-state={connection.status}
      data-reconnections={connection.reconnections}
      data-synced-at={connection.syncedAtMs ?? ''}
      data-caught-up={connection.caughtUp}
    >
      <span className="state-dot" aria-hidden="true" />
      <strong>{view.label}</strong>
      <span className="connection-detail">{view.detail}</span>
      {connection.caughtUp > 0 && connection.status === 'connected' ? (
        <span className="connection-caught-up">
          {connection.caughtUp} {connection.caughtUp === 1 ? 'item' : 'items'} caught up
        </span>
      ) : null}
    </div>
  );
}
