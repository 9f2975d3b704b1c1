import { useSyncExternalStore } from 'react';
import { useServices } from './dashboard.context';
import type { DispatchState } from './dispatch.store';

/** A slice of the dispatch state; the component re-renders when that slice changes. */
export function useDispatch<T>(select: (state: DispatchState) => T): T {
  const { store } = useServices();
  return useSyncExternalStore(store.dispatch.subscribe, () => select(store.dispatch.getState()));
}
