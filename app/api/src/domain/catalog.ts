import { createHash } from 'node:crypto';
import type { Cache } from '../cache/cache';
import type { CatalogRepo, ProductQuery } from '../data/catalog-repo';
import { AppError, notFound } from './errors';

/** Reads go through the cache; writes go to PostgreSQL and then invalidate the cache. */
export function catalogService(repo: CatalogRepo, cache: Cache) {
  const queryKey = (q: ProductQuery) =>
    'products:' +
    createHash('sha1')
      .update(JSON.stringify([q.q ?? '', q.category ?? '', !!q.featured, q.page, q.pageSize]))
      .digest('hex');

  return {
    categories: () => cache.getOrLoad('categories', () => repo.listCategories()),

    products: (q: ProductQuery) => cache.getOrLoad(queryKey(q), () => repo.listProducts(q)),

    async product(id: number) {
      const p = await cache.getOrLoad(`product:${id}`, () => repo.getProduct(id));
      if (!p) throw notFound('product');
      return p;
    },

    /** The public catalogue reads as the JSON bodies the api sends, straight from the cache. */
    json: {
      categories: async () =>
        `{"items":${await cache.getOrLoadRaw('categories', () => repo.listCategories())}}`,
      products: (q: ProductQuery) => cache.getOrLoadRaw(queryKey(q), () => repo.listProducts(q)),
      async product(id: number) {
        const raw = await cache.getOrLoadRaw(`product:${id}`, () => repo.getProduct(id));
        if (raw === 'null') throw notFound('product');
        return `{"product":${raw}}`;
      },
    },

    async createProduct(input: {
      sku: string;
      name: string;
      description?: string;
      category: string;
      pricePaisa: number;
      stock: number;
      imageUrl?: string | null;
      featured?: boolean;
    }) {
      const categoryId = await repo.categoryIdBySlug(input.category);
      if (categoryId === null)
        throw new AppError(422, 'unknown_category', `no category "${input.category}"`);
      let id: number;
      try {
        id = await repo.createProduct({
          sku: input.sku,
          name: input.name,
          description: input.description ?? '',
          categoryId,
          pricePaisa: input.pricePaisa,
          stock: input.stock,
          imageUrl: input.imageUrl ?? null,
          featured: input.featured ?? false,
        });
      } catch (e) {
        if ((e as { code?: string }).code === '23505')
          throw new AppError(409, 'sku_taken', 'that SKU exists');
        throw e;
      }
      await cache.invalidateAll();
      return (await repo.getProduct(id, { fresh: true }))!;
    },

    async updateProduct(
      id: number,
      patch: {
        name?: string;
        description?: string;
        category?: string;
        pricePaisa?: number;
        stock?: number;
        imageUrl?: string | null;
        featured?: boolean;
      },
    ) {
      let categoryId: number | undefined;
      if (patch.category !== undefined) {
        const c = await repo.categoryIdBySlug(patch.category);
        if (c === null)
          throw new AppError(422, 'unknown_category', `no category "${patch.category}"`);
        categoryId = c;
      }
      const { category: _c, ...rest } = patch;
      const ok = await repo.updateProduct(id, { ...rest, categoryId });
      if (!ok) throw notFound('product');
      await cache.invalidateAll();
      return (await repo.getProduct(id, { fresh: true }))!;
    },

    /** After a checkout changed stock: drop the product pages so detail views show it. */
    async stockChanged(productIds: number[]) {
      await Promise.all(productIds.map((id) => cache.del(`product:${id}`)));
    },
  };
}

export type CatalogService = ReturnType<typeof catalogService>;
