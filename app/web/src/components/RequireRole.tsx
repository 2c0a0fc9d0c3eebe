// Client-side route guard. It only spares people a page they can't use: the API enforces the
// same roles on every admin endpoint.
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Role } from '../api/types';
import { useSession } from '../state/SessionContext';
import { Loading } from './Loading';

export function canAccess(role: Role | undefined, allowed: readonly Role[]): boolean {
  return role !== undefined && allowed.includes(role);
}

export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { user } = useSession();
  const loc = useLocation();
  if (user === undefined) return <Loading label="Checking your account…" />;
  if (user === null) {
    const next = encodeURIComponent(loc.pathname + loc.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  if (!canAccess(user.role, roles)) {
    return (
      <section className="forbidden">
        <h1>Access denied</h1>
        <p>Your account ({user.email}) doesn&apos;t have permission to open this page.</p>
      </section>
    );
  }
  return <>{children}</>;
}

export function RequireLogin({ children }: { children: ReactNode }) {
  return <RequireRole roles={['customer', 'staff', 'admin']}>{children}</RequireRole>;
}
