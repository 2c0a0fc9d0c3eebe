// Who is logged in. `undefined` while the first /api/auth/me is in flight, `null` when nobody is.
// A failed /me (API down) leaves the session unknown rather than logging the shopper out.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { ApiError } from '../api/client';
import type { User } from '../api/types';
import { useApi, useApiHealth } from './AppContext';

interface Session {
  user: User | null | undefined;
  setUser: (u: User | null) => void;
  logout: () => Promise<void>;
}

const Ctx = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const health = useApiHealth();
  const [user, setUser] = useState<User | null | undefined>(undefined);

  useEffect(() => {
    if (user !== undefined) return;
    const ctrl = new AbortController();
    api.me({ signal: ctrl.signal }).then(
      (u) => setUser(u),
      (e: unknown) => {
        if (e instanceof ApiError && e.kind === 'http' && (e.status === 401 || e.status === 403))
          setUser(null);
        // Otherwise stay unknown; the effect runs again when the API comes back.
      },
    );
    return () => ctrl.abort();
  }, [api, user, health]);

  const logout = useCallback(async () => {
    await api.logout();
    setUser(null);
  }, [api]);

  const value = useMemo(() => ({ user, setUser, logout }), [user, logout]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
