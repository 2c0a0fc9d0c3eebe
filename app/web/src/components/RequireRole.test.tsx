import { screen } from '@testing-library/react';
import type { User } from '../api/types';
import { admin, customer, fakeApi, renderWithApp } from '../test-support/renderWithApp';
import { RequireRole } from './RequireRole';

const adminPage = (
  <RequireRole roles={['admin']}>
    <h1>Products admin</h1>
  </RequireRole>
);

describe('role-guarded routes', () => {
  it('refuses a customer who opens an admin URL', async () => {
    renderWithApp(adminPage, { api: fakeApi({}, customer), route: '/admin/products' });
    expect(await screen.findByRole('heading', { name: 'Access denied' })).toBeInTheDocument();
    expect(screen.queryByText('Products admin')).not.toBeInTheDocument();
  });

  it('sends an anonymous visitor to log in', async () => {
    renderWithApp(adminPage, { api: fakeApi({}, null), route: '/admin/products' });
    expect(await screen.findByRole('heading', { name: 'Login page' })).toBeInTheDocument();
  });

  it('lets an admin in', async () => {
    renderWithApp(adminPage, { api: fakeApi({}, admin), route: '/admin/products' });
    expect(await screen.findByRole('heading', { name: 'Products admin' })).toBeInTheDocument();
  });

  it('lets staff see all orders but not manage products', async () => {
    const staff: User = { id: 's1', email: 'staff@example.com', name: 'Staff', role: 'staff' };
    const ordersPage = (
      <RequireRole roles={['staff', 'admin']}>
        <h1>All orders</h1>
      </RequireRole>
    );
    const first = renderWithApp(ordersPage, { api: fakeApi({}, staff), route: '/admin/orders' });
    expect(await screen.findByRole('heading', { name: 'All orders' })).toBeInTheDocument();
    first.unmount();
    renderWithApp(adminPage, { api: fakeApi({}, staff), route: '/admin/products' });
    expect(await screen.findByRole('heading', { name: 'Access denied' })).toBeInTheDocument();
  });
});
