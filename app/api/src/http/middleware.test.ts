import { inferRoute } from './middleware';

test('an inferred route keeps word segments and replaces ids, dropping the query', () => {
  expect(inferRoute('/api/orders')).toBe('/api/orders');
  expect(inferRoute('/api/auth/me?x=1')).toBe('/api/auth/me');
  expect(inferRoute('/api/orders/0b1c2d3e-1111-2222-3333-444455556666')).toBe('/api/orders/:id');
  expect(inferRoute('/api/cart/items/42')).toBe('/api/cart/items/:id');
  expect(inferRoute('/api/a/b/c/d/e/f/g/h')).toBe('/api/a/b/c/d');
});
