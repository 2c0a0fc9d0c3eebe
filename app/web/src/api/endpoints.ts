// Typed wrappers for each endpoint in the contract.
import type { CheckoutRequest } from '../lib/checkoutForm';
import { ApiError, type ApiClient, type RequestOptions } from './client';
import { pickList, toCategory, toOrder, toProduct, toUser } from './normalize';
import type {
  Cart,
  Category,
  NewProduct,
  OpsStatus,
  Order,
  Page,
  Product,
  ProductPatch,
  User,
} from './types';

type Sig = Pick<RequestOptions, 'signal'>;

export interface ProductQuery {
  q?: string;
  category?: string;
  featured?: boolean;
  page?: number;
  pageSize?: number;
}

function toCart(body: unknown): Cart {
  const o = (body ?? {}) as { items?: unknown; totalPaisa?: unknown; cart?: unknown };
  const c = (o.cart ?? o) as { items?: unknown; totalPaisa?: unknown };
  const items = pickList(c.items).map((i) => {
    const it = i as Record<string, unknown>;
    return {
      productId: String(it.productId),
      quantity: Number(it.quantity),
      pricePaisa: Number(it.pricePaisa),
      name: typeof it.name === 'string' ? it.name : undefined,
      stock: typeof it.stock === 'number' ? it.stock : undefined,
    };
  });
  return { items, totalPaisa: Number(c.totalPaisa ?? 0) };
}

export function endpoints(api: ApiClient) {
  return {
    async categories(o: Sig = {}): Promise<Category[]> {
      return pickList(await api<unknown>('/api/categories', o), 'categories').map(toCategory);
    },
    async products(q: ProductQuery, o: Sig = {}): Promise<Page<Product>> {
      const p = new URLSearchParams();
      if (q.q) p.set('q', q.q);
      if (q.category) p.set('category', q.category);
      if (q.featured) p.set('featured', 'true');
      p.set('page', String(q.page ?? 1));
      p.set('pageSize', String(q.pageSize ?? 24));
      const body = await api<Record<string, unknown>>(`/api/products?${p}`, o);
      return {
        items: pickList(body, 'products').map(toProduct),
        page: Number(body?.page ?? q.page ?? 1),
        pageSize: Number(body?.pageSize ?? q.pageSize ?? 24),
        total: Number(body?.total ?? 0),
      };
    },
    async product(id: string, o: Sig = {}): Promise<Product> {
      const body = await api<Record<string, unknown>>(`/api/products/${encodeURIComponent(id)}`, o);
      return toProduct(body?.product ?? body);
    },
    async me(o: Sig = {}): Promise<User> {
      return toUser(await api<unknown>('/api/auth/me', o));
    },
    async login(email: string, password: string): Promise<User> {
      return toUser(
        await api<unknown>('/api/auth/login', { method: 'POST', body: { email, password } }),
      );
    },
    async register(email: string, password: string, name: string): Promise<User> {
      return toUser(
        await api<unknown>('/api/auth/register', {
          method: 'POST',
          body: { email, password, name },
        }),
      );
    },
    async logout(): Promise<void> {
      await api<unknown>('/api/auth/logout', { method: 'POST' });
    },
    async cart(o: Sig = {}): Promise<Cart> {
      return toCart(await api<unknown>('/api/cart', o));
    },
    async setCartQuantity(productId: string, quantity: number): Promise<Cart> {
      return toCart(
        await api<unknown>(`/api/cart/items/${encodeURIComponent(productId)}`, {
          method: 'PUT',
          body: { quantity },
        }),
      );
    },
    async placeOrder(req: CheckoutRequest, idempotencyKey: string): Promise<Order> {
      // Payment providers can be slow; give checkout longer than a catalogue read.
      const body = await api<unknown>('/api/orders', {
        method: 'POST',
        body: req,
        headers: { 'Idempotency-Key': idempotencyKey },
        timeoutMs: 30000,
      });
      return toOrder(body);
    },
    async orders(o: Sig = {}): Promise<Order[]> {
      return pickList(await api<unknown>('/api/orders', o), 'orders').map(toOrder);
    },
    async order(id: string, o: Sig = {}): Promise<Order> {
      return toOrder(await api<unknown>(`/api/orders/${encodeURIComponent(id)}`, o));
    },
    async adminOrders(o: Sig = {}): Promise<Order[]> {
      return pickList(await api<unknown>('/api/admin/orders', o), 'orders').map(toOrder);
    },
    async createProduct(p: NewProduct): Promise<Product> {
      const body = await api<Record<string, unknown>>('/api/admin/products', {
        method: 'POST',
        body: p,
      });
      return toProduct(body?.product ?? body);
    },
    async updateProduct(id: string, patch: ProductPatch): Promise<Product> {
      const body = await api<Record<string, unknown>>(
        `/api/admin/products/${encodeURIComponent(id)}`,
        {
          method: 'PATCH',
          body: patch,
        },
      );
      return toProduct(body?.product ?? body);
    },
    async opsStatus(o: Sig = {}): Promise<OpsStatus> {
      // reportStatus false: Prometheus being down (503) is not the store being down.
      const body = await api<OpsStatus>('/api/ops/status', { ...o, reportStatus: false });
      if (!body || !Array.isArray(body.slos) || !Array.isArray(body.services)) {
        throw new ApiError('http', 200, 'bad_response', 'the ops status answer was not understood');
      }
      return { ...body, disk: body.disk ?? [], alerts: body.alerts ?? [] };
    },
  };
}

export type Endpoints = ReturnType<typeof endpoints>;
