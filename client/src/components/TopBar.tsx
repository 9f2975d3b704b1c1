import { formatTime } from '../logic/time.format';
import { crashesByAmbulance, toneOf, unitStatus } from '../logic/unit.status';
import { useDashboard, useNow, useServices } from '../store/dashboard.context';
import { useOfflineAfter, useStaleAfter } from '../store/units.hooks';
import { ConnectionStatus } from './ConnectionStatus';
import { SoundAlerts } from './SoundAlerts';

function FleetSummary() {
  const fleet = useDashboard((state) => state.fleet);
  const alerts = useDashboard((state) => state.alerts);
  const staleAfter = useStaleAfter();
  const offlineAfter = useOfflineAfter();
  const now = useNow();
  const crashes = crashesByAmbulance(alerts);
  const counts = { crash: 0, red: 0, orange: 0, green: 0, stale: 0, offline: 0 };
  for (const entry of fleet.values()) {
    const status = unitStatus(entry.position, crashes.get(entry.id), now, staleAfter, offlineAfter);
    // Counted as each row names it: STALE, or OFFLINE past the offline threshold.
    if (status.kind === 'stale' && status.offline) counts.offline += 1;
    else counts[toneOf(status)] += 1;
  }
  return (
    <p className="summary">
      <span className="summary-total">{fleet.size} units</span>
      {counts.crash > 0 ? <span className="tone-crash">{counts.crash} CRASH</span> : null}
      <span className="tone-red">{counts.red} RED</span>
      <span className="tone-orange">{counts.orange} ORANGE</span>
      <span className="tone-green">{counts.green} GREEN</span>
      <span className="tone-stale">{counts.stale} STALE</span>
      {counts.offline > 0 ? <span className="tone-stale">{counts.offline} OFFLINE</span> : null}
    </p>
  );
}

/** One line at every width: what does not fit is dropped by the style sheet, most dispensable first. */
export function TopBar() {
  const { store } = useServices();
  const token = useDashboard((state) => state.token);
  // In open mode (the server checks no tokens) there is nothing to sign in to.
  const signInRequired = useDashboard((state) => state.settings?.signInRequired ?? false);
  const now = useNow();
  return (
    <header className="top-bar">
      <h1>
        <span className="title-long">Ambulance fleet</span>
        <span className="title-short" aria-hidden="true">
          Fleet
        </span>
      </h1>
      <FleetSummary />
      <ConnectionStatus />
      <time className="clock" dateTime={new Date(now).toISOString()}>
        {formatTime(now)}
      </time>
      <SoundAlerts />
      {signInRequired ? (
        <button type="button" onClick={() => (token ? store.signOut() : store.openSignIn())}>
          {token ? 'Sign out' : 'Sign in'}
        </button>
      ) : null}
    </header>
  );
}

export function Notice() {
  const notice = useDashboard((state) => state.notice);
  return notice ? (
    <p className="notice" role="status">
      {notice}
    </p>
  ) : null;
}
