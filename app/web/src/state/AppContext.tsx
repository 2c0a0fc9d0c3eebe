// Dependencies the pages need (API endpoints and the API status store), injected so component
// tests can hand in fakes without mocking modules.
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { ApiStatusStore } from '../api/apiStatus';
import type { Endpoints } from '../api/endpoints';

export interface AppDeps {
  api: Endpoints;
  status: ApiStatusStore;
}

const Ctx = createContext<AppDeps | null>(null);

export function AppProvider({ deps, children }: { deps: AppDeps; children: ReactNode }) {
  return <Ctx.Provider value={deps}>{children}</Ctx.Provider>;
}

export function useDeps(): AppDeps {
  const d = useContext(Ctx);
  if (!d) throw new Error('useDeps outside AppProvider');
  return d;
}

export function useApi(): Endpoints {
  return useDeps().api;
}

export function useApiHealth() {
  const { status } = useDeps();
  return useSyncExternalStore(status.subscribe, status.get, status.get);
}
