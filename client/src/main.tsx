import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { DisplayErrorBoundary } from './components/DisplayErrorBoundary';
import { DashboardContext, type DashboardServices } from './store/dashboard.context';
import { DashboardStore } from './store/dashboard.store';
import { ReplayCursor } from './store/replay.cursor';
import './styles.css';

const services: DashboardServices = { store: new DashboardStore(), replayCursor: new ReplayCursor() };
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <DisplayErrorBoundary>
      <DashboardContext.Provider value={services}>
        <App />
      </DashboardContext.Provider>
    </DisplayErrorBoundary>
  </StrictMode>,
);
void services.store.start(window.location, window.history);
