import { SEED_CATEGORIES, generateProducts } from './catalog-data';

test('the seed has 2,000+ products in 10+ categories with unique SKUs', () => {
  const products = generateProducts();
  expect(SEED_CATEGORIES.length).toBeGreaterThanOrEqual(10);
  expect(products.length).toBeGreaterThanOrEqual(2000);
  expect(new Set(products.map((p) => p.sku)).size).toBe(products.length);
  for (const c of SEED_CATEGORIES) expect(products.some((p) => p.category === c.slug)).toBe(true);
});

test('prices are whole paisa within each item’s taka range, and stock is a whole number', () => {
  for (const p of generateProducts()) {
    expect(Number.isInteger(p.pricePaisa)).toBe(true);
    expect(p.pricePaisa % 100).toBe(0); // whole taka, as shops price
    expect(p.pricePaisa).toBeGreaterThan(0);
    expect(Number.isInteger(p.stock) && p.stock >= 0).toBe(true);
    expect(p.sku).toMatch(/^[A-Z0-9-]{3,32}$/);
  }
});

test('the same seed gives the same catalogue; another seed a different one', () => {
  expect(generateProducts(7)).toEqual(generateProducts(7));
  expect(generateProducts(7)).not.toEqual(generateProducts(8));
});
