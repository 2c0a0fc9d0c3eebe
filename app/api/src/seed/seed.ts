import type { Pool } from 'pg';
import { SEED_CATEGORIES, generateProducts } from './catalog-data';

/**
 * Upserts the catalogue by slug and SKU, so seeding twice changes nothing and an existing
 * shop's stock is never reset (only missing products are added).
 */
export async function seedCatalog(pool: Pool): Promise<{ categories: number; products: number }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO categories (slug, name) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name`,
      [SEED_CATEGORIES.map((c) => c.slug), SEED_CATEGORIES.map((c) => c.name)],
    );
    const products = generateProducts();
    const col = <K extends keyof (typeof products)[number]>(k: K) => products.map((p) => p[k]);
    await client.query(
      `INSERT INTO products (sku, name, description, category_id, price_paisa, stock, image_url, featured)
       SELECT p.sku, p.name, p.description, c.id, p.price, p.stock, p.image, p.featured
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::text[], $8::bool[])
              AS p(sku, name, description, category, price, stock, image, featured)
         JOIN categories c ON c.slug = p.category
       ON CONFLICT (sku) DO NOTHING`,
      [
        col('sku'),
        col('name'),
        col('description'),
        col('category'),
        col('pricePaisa'),
        col('stock'),
        col('imageUrl'),
        col('featured'),
      ],
    );
    await client.query('COMMIT');
    return { categories: SEED_CATEGORIES.length, products: products.length };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
