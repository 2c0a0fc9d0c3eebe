import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createApiStatus } from '../api/apiStatus';
import { ApiError } from '../api/client';
import type { Page, Product } from '../api/types';
import { ApiDownBanner } from '../components/ApiDownBanner';
import { fakeApi, renderWithApp } from '../test-support/renderWithApp';
import HomePage from './HomePage';

const products: Page<Product> = {
  items: [
    {
      id: '1',
      sku: 'RICE-5',
      name: 'Miniket rice 5kg',
      pricePaisa: 85050,
      stock: 12,
      category: 'grocery',
      imageUrl: '/img/1.svg',
    },
    {
      id: '2',
      sku: 'TEA-1',
      name: 'Ispahani tea 400g',
      pricePaisa: 123400,
      stock: 0,
      category: 'grocery',
      imageUrl: 'https://cdn.example/tea.jpg',
    },
  ],
  page: 1,
  pageSize: 8,
  total: 2,
};
const categories = [{ id: 'c1', slug: 'grocery', name: 'Grocery' }];
const down = () => new ApiError('unavailable', 503, 'unavailable', 'down');

describe('home page states', () => {
  it('shows categories, products with BDT prices and stock, and sized lazy images', async () => {
    const api = fakeApi({ categories: async () => categories, products: async () => products });
    renderWithApp(<HomePage />, { api });
    expect(await screen.findByRole('link', { name: 'Grocery' })).toHaveAttribute(
      'href',
      '/c/grocery',
    );
    expect(await screen.findByText('Miniket rice 5kg')).toBeInTheDocument();
    expect(screen.getByText('৳850.50')).toBeInTheDocument();
    expect(screen.getByText('৳1,234.00')).toBeInTheDocument();
    expect(screen.getByText('Out of stock')).toBeInTheDocument();
    const imgs = document.querySelectorAll('img.product-image');
    expect(imgs).toHaveLength(2);
    imgs.forEach((img) => {
      expect(img).toHaveAttribute('width');
      expect(img).toHaveAttribute('height');
    });
    // A foreign host would be blocked by the CSP, so it is replaced by the local placeholder.
    expect(imgs[1]).toHaveAttribute('src', '/images/product-placeholder.svg');
  });

  it('shows an error with Retry when a load fails, and Retry loads the data', async () => {
    const productsCall = jest
      .fn()
      .mockRejectedValueOnce(new ApiError('timeout', 0, 'timeout', 't'))
      .mockResolvedValueOnce(products);
    const api = fakeApi({ categories: async () => categories, products: productsCall });
    renderWithApp(<HomePage />, { api });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Products could not be loaded');
    expect(alert).toHaveTextContent(/took too long/);
    // Other sections still render: one failure is not a blank page.
    expect(screen.getByRole('link', { name: 'Grocery' })).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Miniket rice 5kg')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(productsCall).toHaveBeenCalledTimes(2);
  });

  it('says plainly that the API is down, and recovers by itself when it comes back', async () => {
    let apiUp = false;
    const status = createApiStatus({ probe: async () => apiUp, minDelayMs: 30, maxDelayMs: 30 });
    const api = fakeApi({
      categories: async () => {
        if (!apiUp) {
          status.reportDown();
          throw down();
        }
        return categories;
      },
      products: async () => {
        if (!apiUp) throw down();
        return products;
      },
    });
    renderWithApp(
      <>
        <ApiDownBanner />
        <HomePage />
      </>,
      { api, status },
    );
    expect(await screen.findByText(/The store is having trouble right now/)).toBeInTheDocument();
    expect(await screen.findAllByRole('button', { name: 'Retry' })).toHaveLength(2);
    await act(async () => {
      apiUp = true;
    });
    // No click: the probe sees the API back, the banner goes and the failed loads rerun.
    expect(await screen.findByText('Miniket rice 5kg')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Grocery' })).toBeInTheDocument();
    expect(screen.queryByText(/The store is having trouble right now/)).not.toBeInTheDocument();
    status.stop();
  });
});
