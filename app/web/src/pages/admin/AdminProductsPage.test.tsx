import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../api/client';
import type { Page, Product } from '../../api/types';
import { admin, fakeApi, renderWithApp } from '../../test-support/renderWithApp';
import AdminProductsPage, { parseStock } from './AdminProductsPage';

const rice: Product = {
  id: '7',
  sku: 'GRO-010007',
  name: 'Miniket rice 5kg',
  pricePaisa: 85050,
  stock: 12,
  category: 'groceries',
  imageUrl: '',
};
const page: Page<Product> = { items: [rice], page: 1, pageSize: 20, total: 1 };

describe('admin products page', () => {
  it('edits price and stock, sending integer paisa and only what changed', async () => {
    const updateProduct = jest.fn(async (_id: string, patch: object) => ({ ...rice, ...patch }));
    const api = fakeApi(
      { products: async () => page, categories: async () => [], updateProduct },
      admin,
    );
    renderWithApp(<AdminProductsPage />, { api, route: '/admin/products' });
    const price = await screen.findByLabelText('Price in taka for Miniket rice 5kg');
    expect(price).toHaveValue('850.50');
    const user = userEvent.setup();
    await user.clear(price);
    await user.type(price, '1,299.9');
    await user.clear(screen.getByLabelText('Stock for Miniket rice 5kg'));
    await user.type(screen.getByLabelText('Stock for Miniket rice 5kg'), '3');
    await user.click(screen.getByRole('button', { name: 'Save Miniket rice 5kg' }));
    expect(await screen.findByText('Saved.')).toBeInTheDocument();
    expect(updateProduct).toHaveBeenCalledWith('7', { pricePaisa: 129990, stock: 3 });
    expect(screen.getByText('৳1,299.90')).toBeInTheDocument();
  });

  it('refuses a bad price without calling the API, and shows API errors', async () => {
    const updateProduct = jest
      .fn()
      .mockRejectedValue(new ApiError('http', 403, 'forbidden', 'admins only'));
    const api = fakeApi(
      { products: async () => page, categories: async () => [], updateProduct },
      admin,
    );
    renderWithApp(<AdminProductsPage />, { api, route: '/admin/products' });
    const price = await screen.findByLabelText('Price in taka for Miniket rice 5kg');
    const user = userEvent.setup();
    await user.clear(price);
    await user.type(price, '12.345');
    await user.click(screen.getByRole('button', { name: 'Save Miniket rice 5kg' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Price must be a taka amount');
    expect(updateProduct).not.toHaveBeenCalled();
    await user.clear(price);
    await user.type(price, '900');
    await user.click(screen.getByRole('button', { name: 'Save Miniket rice 5kg' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('admins only');
  });

  it('parses stock as a whole number', () => {
    expect(parseStock('0')).toBe(0);
    expect(parseStock(' 42 ')).toBe(42);
    expect(parseStock('-1')).toBeNull();
    expect(parseStock('1.5')).toBeNull();
    expect(parseStock('9999999')).toBe(9999999);
    expect(parseStock('10000000')).toBeNull();
    for (const v of ['1e3', '0x10', '']) expect(parseStock(v)).toBeNull();
  });
});

describe('admin new product form', () => {
  it('creates a product with integer paisa and an upper-case SKU', async () => {
    const createProduct = jest.fn(async (p: object) => ({ ...rice, ...p, id: '9999' }));
    const products = jest.fn(async () => page);
    const api = fakeApi(
      {
        products,
        categories: async () => [{ id: '1', slug: 'groceries', name: 'Groceries' }],
        createProduct,
      },
      admin,
    );
    renderWithApp(<AdminProductsPage />, { api, route: '/admin/products' });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'New product' }));
    await user.type(screen.getByLabelText('SKU'), 'gro-999001');
    await user.type(screen.getByLabelText('Product name'), 'Chinigura rice 1kg');
    await screen.findByRole('option', { name: 'Groceries' });
    await user.selectOptions(screen.getByLabelText('Category'), 'groceries');
    await user.type(screen.getByLabelText('Price in taka'), '189.5');
    await user.clear(screen.getByLabelText('Stock'));
    await user.type(screen.getByLabelText('Stock'), '40');
    await user.click(screen.getByRole('button', { name: 'Create product' }));
    expect(await screen.findByText('Created Chinigura rice 1kg.')).toBeInTheDocument();
    expect(createProduct).toHaveBeenCalledWith({
      sku: 'GRO-999001',
      name: 'Chinigura rice 1kg',
      category: 'groceries',
      pricePaisa: 18950,
      stock: 40,
    });
    expect(products).toHaveBeenCalledTimes(2); // the list reloads to show it
  });

  it('refuses a malformed SKU before calling the API', async () => {
    const createProduct = jest.fn();
    const api = fakeApi(
      {
        products: async () => page,
        categories: async () => [{ id: '1', slug: 'groceries', name: 'Groceries' }],
        createProduct,
      },
      admin,
    );
    renderWithApp(<AdminProductsPage />, { api, route: '/admin/products' });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'New product' }));
    await user.type(screen.getByLabelText('SKU'), 'rice!');
    await user.type(screen.getByLabelText('Product name'), 'Rice');
    await screen.findByRole('option', { name: 'Groceries' });
    await user.selectOptions(screen.getByLabelText('Category'), 'groceries');
    await user.type(screen.getByLabelText('Price in taka'), '10');
    await user.click(screen.getByRole('button', { name: 'Create product' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('SKU is 3–32 letters');
    expect(createProduct).not.toHaveBeenCalled();
  });
});
