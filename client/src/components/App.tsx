import { useDashboard } from '../store/dashboard.context';
import { ConnectionLost } from './ConnectionLost';
import { CrashAlerts } from './CrashAlerts';
import { FleetMap } from './FleetMap';
import { SidePanel } from './SidePanel';
import { SignInPanel } from './SignInPanel';
import { Notice, TopBar } from './TopBar';

export function App() {
  const ready = useDashboard((state) => state.settings !== null && state.fleetLoaded);
  return (
    <div className="app" data-ready={ready}>
      <a className="skip-link" href="#fleet-list-title">
        Skip to the fleet list
      </a>
      <TopBar />
      <div className="banners">
        <Notice />
        <ConnectionLost />
        <CrashAlerts />
      </div>
      <main className="layout">
        <FleetMap />
        <SidePanel />
      </main>
      <SignInPanel />
    </div>
  );
}
