import { useDashboard } from '../store/dashboard.context';
import { CrashAlerts } from './CrashAlerts';
import { DetailPanel } from './DetailPanel';
import { FleetList } from './FleetList';
import { FleetMap } from './FleetMap';
import { SignInPanel } from './SignInPanel';
import { TopBar } from './TopBar';

export function App() {
  const ready = useDashboard((state) => state.settings !== null && state.fleetLoaded);
  const selected = useDashboard((state) => state.selectedId !== null);
  return (
    <div className="app" data-ready={ready}>
      <a className="skip-link" href="#fleet-list-title">
        Skip to the fleet list
      </a>
      <TopBar />
      <CrashAlerts />
      <main className={`layout${selected ? ' with-detail' : ''}`}>
        <FleetMap />
        <aside className="side">
          <DetailPanel />
          <FleetList />
        </aside>
      </main>
      <SignInPanel />
    </div>
  );
}
