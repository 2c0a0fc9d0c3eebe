import type { Pool } from 'pg';
import type { Category, Product } from './types';

export interface ProductQuery {
  q?: string;
  category?: string;
  featured?: boolean;
  page: number;
  pageSize: number;
}

export interface ProductPage {
  items: Product[];
  page: number;
  pageSize: number;
  total: number;
}

const PRODUCT_COLUMNS = `p.id, p.sku, p.name, p.description, p.price_paisa AS "pricePaisa", p.stock,
  c.slug AS category, p.image_url AS "imageUrl", p.featured`;

export function catalogRepo(pool: Pool) {
  return {
    async listCategories(): Promise<Category[]> {
      const { rows } = await pool.query<Category>(
        `SELECT c.id, c.slug, c.name, count(p.id)::int AS "productCount"
           FROM categories c LEFT JOIN products p ON p.category_id = c.id
          GROUP BY c.id ORDER BY c.name`,
      );
      return rows;
    },

    async listProducts(q: ProductQuery): Promise<ProductPage> {
      const where: string[] = [];
      const params: unknown[] = [];
      let rank = 'p.id';
      if (q.q) {
        params.push(q.q);
        where.push(`p.search @@ websearch_to_tsquery('english', $${params.length})`);
        rank = `ts_rank(p.search, websearch_to_tsquery('english', $${params.length})) DESC, p.id`;
      }
      if (q.category) {
        params.push(q.category);
        where.push(`c.slug = $${params.length}`);
      }
      if (q.featured) where.push('p.featured');
      const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
      params.push(q.pageSize, (q.page - 1) * q.pageSize);
      // count(*) OVER () returns the total with the page in one round trip.
      const { rows } = await pool.query<Product & { total: number }>(
        `SELECT ${PRODUCT_COLUMNS}, count(*) OVER ()::int AS total
           FROM products p JOIN categories c ON c.id = p.category_id
           ${whereSql}
          ORDER BY ${rank}
          LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params,
      );
      let total = rows[0]?.total ?? 0;
      if (rows.length === 0 && q.page > 1) {
        const c = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM products p JOIN categories c ON c.id = p.category_id ${whereSql}`,
          params.slice(0, -2),
        );
        total = c.rows[0]?.n ?? 0;
      }
      return {
        items: rows.map(({ total: _t, ...p }) => p),
        page: q.page,
        pageSize: q.pageSize,
        total,
      };
    },

    async getProduct(id: number): Promise<Product | null> {
      const { rows } = await pool.query<Product>(
        `SELECT ${PRODUCT_COLUMNS} FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = $1`,
        [id],
      );
      return rows[0] ?? null;
    },

    async categoryIdBySlug(slug: string): Promise<number | null> {
      const { rows } = await pool.query<{ id: number }>(
        'SELECT id FROM categories WHERE slug = $1',
        [slug],
      );
      return rows[0]?.id ?? null;
    },

    async createProduct(p: {
      sku: string;
      name: string;
      description: string;
      categoryId: number;
      pricePaisa: number;
      stock: number;
      imageUrl: string | null;
      featured: boolean;
    }): Promise<number> {
      const { rows } = await pool.query<{ id: number }>(
        `INSERT INTO products (sku, name, description, category_id, price_paisa, stock, image_url, featured)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [p.sku, p.name, p.description, p.categoryId, p.pricePaisa, p.stock, p.imageUrl, p.featured],
      );
      return rows[0]!.id;
    },

    /** Updates only the given fields; false when the product does not exist. */
    async updateProduct(
      id: number,
      patch: Partial<{
        name: string;
        description: string;
        categoryId: number;
        pricePaisa: number;
        stock: number;
        imageUrl: string | null;
        featured: boolean;
      }>,
    ): Promise<boolean> {
      const columns: Record<string, string> = {
        name: 'name',
        description: 'description',
        categoryId: 'category_id',
        pricePaisa: 'price_paisa',
        stock: 'stock',
        imageUrl: 'image_url',
        featured: 'featured',
      };
      const sets: string[] = [];
      const params: unknown[] = [];
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined) continue;
        params.push(v);
        sets.push(`${columns[k]} = $${params.length}`);
      }
      params.push(id);
      const { rowCount } = await pool.query(
        `UPDATE products SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $${params.length}`,
        params,
      );
      return rowCount === 1;
    },
  };
}

export type CatalogRepo = ReturnType<typeof catalogRepo>;
