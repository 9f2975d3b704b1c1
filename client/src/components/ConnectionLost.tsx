import { formatTime } from '../logic/time.format';
import { useDashboard } from '../store/dashboard.context';

/** A bar nobody can miss while the picture is not live: positions and states shown may be out of date. */
export function ConnectionLost() {
  const connection = useDashboard((state) => state.connection);
  if (connection.status !== 'reconnecting') return null;
  return (
    <p className="connection-lost" role="alert" data-since={connection.sinceMs}>
      <strong>CONNECTION LOST</strong> at {formatTime(connection.sinceMs)}: the map and list are not live; retrying.
    </p>
  );
}
