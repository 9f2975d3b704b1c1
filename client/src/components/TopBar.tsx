import { isStale } from '../logic/staleness';
import { useDashboard, useNow, useServices } from '../store/dashboard.context';
import { ConnectionStatus } from './ConnectionStatus';
import { formatTime } from './time.format';

function FleetSummary() {
  const fleet = useDashboard((state) => state.fleet);
  const staleAfter = useDashboard((state) => state.settings?.staleAfterSeconds ?? 60);
  const now = useNow();
  const counts = { GREEN: 0, ORANGE: 0, RED: 0, stale: 0 };
  for (const { position } of fleet.values()) {
    if (!position || isStale(position.recordedAt, now, staleAfter)) counts.stale += 1;
    else counts[position.state] += 1;
  }
  return (
    <p className="summary">
      <span>{fleet.size} ambulances</span>
      <span className="tone-red">{counts.RED} RED</span>
      <span className="tone-orange">{counts.ORANGE} ORANGE</span>
      <span className="tone-green">{counts.GREEN} GREEN</span>
      <span className="tone-stale">{counts.stale} STALE</span>
    </p>
  );
}

export function TopBar() {
  const { store } = useServices();
  const token = useDashboard((state) => state.token);
  // In open mode (the server checks no tokens) there is nothing to sign in to.
  const signInRequired = useDashboard((state) => state.settings?.signInRequired ?? false);
  const notice = useDashboard((state) => state.notice);
  const now = useNow();
  return (
    <header className="top-bar">
      <h1>Ambulance fleet</h1>
      <FleetSummary />
      <ConnectionStatus />
      <time className="clock" dateTime={new Date(now).toISOString()}>
        {formatTime(now)}
      </time>
      {signInRequired ? (
        <button type="button" onClick={() => (token ? store.signOut() : store.openSignIn())}>
          {token ? 'Sign out' : 'Sign in'}
        </button>
      ) : null}
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
    </header>
  );
}
