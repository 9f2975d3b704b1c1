import { useMemo } from 'react';
import { crashesByAmbulance } from '../logic/unit.status';
import { useDashboard } from './dashboard.context';
import type { Crash } from './dashboard.state';

/** The newest unacknowledged crash of each ambulance, recomputed only when the alerts change. */
export function useCrashes(): ReadonlyMap<string, Crash> {
  const alerts = useDashboard((state) => state.alerts);
  return useMemo(() => crashesByAmbulance(alerts), [alerts]);
}

export function useStaleAfter(): number {
  return useDashboard((state) => state.settings?.staleAfterSeconds ?? 60);
}

export function useOfflineAfter(): number {
  return useDashboard((state) => state.settings?.offlineAfterSeconds ?? 300);
}
