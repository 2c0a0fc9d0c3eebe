import type { Pool, QueryResult, QueryResultRow } from 'pg';
import { isDbUnavailable } from './pool';
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

/**
 * The catalogue's data access. Reads go to the primary like everything else. With a `fallback`
 * pool (the lab's router port that leads to any running replica, ADR 0301) a read is also asked
 * there when the primary fails (a failover) or has not answered within `hedgeAfterMs`, and the
 * first answer wins: a read held on a dying leader costs a shopper at most that long. Staff
 * writes read their result back from the primary (`fresh`). Without a fallback pool, a read that
 * finds the primary gone is asked once more on a fresh connection.
 */
export function catalogRepo(pool: Pool, fallback: Pool = pool, hedgeAfterMs = 150) {
  const read = async <R extends QueryResultRow>(
    sql: string,
    params?: unknown[],
  ): Promise<QueryResult<R>> => {
    const primary = pool.query<R>(sql, params);
    if (fallback === pool || hedgeAfterMs <= 0) {
      try {
        return await primary;
      } catch (e) {
        if (!isDbUnavailable(e)) throw e;
        return fallback.query<R>(sql, params);
      }
    }
    let timer: NodeJS.Timeout | undefined;
    const first = await Promise.race([
      primary.then(
        (r) => ({ r }),
        (e: unknown) => ({ e }),
      ),
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), hedgeAfterMs))),
    ]);
    clearTimeout(timer);
    if (first && 'r' in first) return first.r;
    if (first && !isDbUnavailable(first.e)) throw first.e;
    const secondary = fallback.query<R>(sql, params);
    if (first) return secondary; // the primary is gone: the fallback's answer is the answer
    // The primary is slow: whichever answers first; both failing is the primary's error.
    primary.catch(() => undefined);
    secondary.catch(() => undefined);
    try {
      return await Promise.any([primary, secondary]);
    } catch {
      return primary;
    }
  };

  return {
    async listCategories(): Promise<Category[]> {
      const { rows } = await read<Category>(
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
      const { rows } = await read<Product & { total: number }>(
        `SELECT ${PRODUCT_COLUMNS}, count(*) OVER ()::int AS total
           FROM products p JOIN categories c ON c.id = p.category_id
           ${whereSql}
          ORDER BY ${rank}
          LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params,
      );
      let total = rows[0]?.total ?? 0;
      if (rows.length === 0 && q.page > 1) {
        const c = await read<{ n: number }>(
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

    /** `fresh`: from the primary only (staff reading back their own write). */
    async getProduct(id: number, o: { fresh?: boolean } = {}): Promise<Product | null> {
      const { rows } = await (o.fresh ? pool.query.bind(pool) : read)<Product>(
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
        // A stock change by staff is a receipt (or a write-off): the ledger moves with it.
        if (k === 'stock')
          sets.push(`stock_received = stock_received + ($${params.length} - stock)`);
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
