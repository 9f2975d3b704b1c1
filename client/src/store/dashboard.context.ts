import { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import type { DashboardState } from './dashboard.state';
import type { DashboardStore } from './dashboard.store';
import type { ReplayCursor } from './replay.cursor';

export interface DashboardServices {
  readonly store: DashboardStore;
  readonly replayCursor: ReplayCursor;
}

export const DashboardContext = createContext<DashboardServices | null>(null);

export function useServices(): DashboardServices {
  const services = useContext(DashboardContext);
  if (!services) throw new Error('DashboardContext is not provided');
  return services;
}

/** A slice of the dashboard state; the component re-renders when that slice changes. */
export function useDashboard<T>(select: (state: DashboardState) => T): T {
  const { store } = useServices();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}

/** The server-corrected time, ticking every `intervalMs`, for ages and staleness. */
export function useNow(intervalMs = 1000): number {
  const { store } = useServices();
  const [now, setNow] = useState(() => store.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(store.now()), intervalMs);
    return () => clearInterval(timer);
  }, [store, intervalMs]);
  return now;
}
