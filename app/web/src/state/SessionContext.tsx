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
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (user !== undefined) return;
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    api.me({ signal: ctrl.signal }).then(
      (u) => setUser(u),
      (e: unknown) => {
        if (ctrl.signal.aborted) return;
        if (e instanceof ApiError && e.kind === 'http' && (e.status === 401 || e.status === 403)) {
          setUser(null);
        } else if (e instanceof ApiError && e.kind === 'http') {
          // Some other answer (a 500): ask again shortly rather than spin on "Checking…".
          timer = setTimeout(() => setAttempt((a) => a + 1), 5000);
        }
        // API unreachable: stay unknown; the effect runs again when the API comes back.
      },
    );
    return () => {
      ctrl.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [api, user, health, attempt]);

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
