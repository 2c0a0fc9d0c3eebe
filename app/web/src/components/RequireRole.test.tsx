import { screen } from '@testing-library/react';
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
});
