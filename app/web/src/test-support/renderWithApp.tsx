// Renders a page inside the same providers as main.tsx, with a fake API: tests list only the
// endpoints the page should call, and anything else fails loudly.
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { createApiStatus, type ApiStatusStore } from '../api/apiStatus';
import { ApiError } from '../api/client';
import type { Endpoints } from '../api/endpoints';
import type { User } from '../api/types';
import { AppProvider } from '../state/AppContext';
import { CartProvider } from '../state/CartContext';
import { SessionProvider } from '../state/SessionContext';

export const customer: User = {
  id: 'u1',
  email: 'rina@example.com',
  name: 'Rina',
  role: 'customer',
};
export const admin: User = { id: 'a1', email: 'admin@example.com', name: 'Admin', role: 'admin' };

export function fakeApi(overrides: Partial<Endpoints>, user: User | null = null): Endpoints {
  const unexpected = (name: string) => () =>
    Promise.reject(new Error(`unexpected call to api.${name}`));
  const base = {
    me: () =>
      user
        ? Promise.resolve(user)
        : Promise.reject(new ApiError('http', 401, 'unauthorized', 'not logged in')),
    cart: () => Promise.resolve({ items: [], totalPaisa: 0 }),
  } as Partial<Endpoints>;
  return new Proxy({ ...base, ...overrides } as Endpoints, {
    get(target, prop: string) {
      return (target as unknown as Record<string, unknown>)[prop] ?? unexpected(prop);
    },
  });
}

export function renderWithApp(
  element: ReactElement,
  {
    api,
    status,
    route = '/',
    path = '*',
  }: { api: Endpoints; status?: ApiStatusStore; route?: string; path?: string },
) {
  const s = status ?? createApiStatus({ probe: () => Promise.resolve(true) });
  const utils = render(
    <AppProvider deps={{ api, status: s }}>
      <SessionProvider>
        <CartProvider>
          <MemoryRouter initialEntries={[route]}>
            <Routes>
              <Route path={path} element={element} />
              <Route path="/login" element={<h1>Login page</h1>} />
            </Routes>
          </MemoryRouter>
        </CartProvider>
      </SessionProvider>
    </AppProvider>,
  );
  return { ...utils, status: s };
}
