// The contract fixes the fields; these helpers only accept the reasonable envelopes around them
// (a bare array or {items}/{orders}/...) and coerce ids to strings, so the UI has one shape.
import type { Category, Order, Product, User } from './types';

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

export function pickList(body: unknown, ...keys: string[]): unknown[] {
  if (Array.isArray(body)) return body;
  const o = obj(body);
  for (const k of [...keys, 'items', 'data']) if (Array.isArray(o[k])) return o[k] as unknown[];
  return [];
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const int = (v: unknown): number =>
  typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : Number.parseInt(str(v), 10) || 0;

export function toCategory(v: unknown): Category {
  const o = obj(v);
  const id = str(o.id ?? o.slug);
  return { id, slug: str(o.slug ?? o.id), name: str(o.name ?? o.slug ?? id) };
}

export function toProduct(v: unknown): Product {
  const o = obj(v);
  const cat = o.category;
  const category =
    cat && typeof cat === 'object'
      ? str(obj(cat).slug ?? obj(cat).name ?? obj(cat).id)
      : str(cat ?? o.categorySlug);
  return {
    id: str(o.id),
    sku: str(o.sku),
    name: str(o.name),
    pricePaisa: int(o.pricePaisa),
    stock: int(o.stock),
    category,
    imageUrl: str(o.imageUrl),
    description: typeof o.description === 'string' ? o.description : undefined,
  };
}

export function toUser(v: unknown): User {
  const o = obj(obj(v).user ?? v);
  const role = o.role === 'admin' || o.role === 'staff' ? o.role : 'customer';
  return { id: str(o.id), email: str(o.email), name: str(o.name), role };
}

export function toOrder(v: unknown): Order {
  const o = obj(obj(v).order ?? v);
  return {
    id: str(o.id),
    status: str(o.status),
    totalPaisa: int(o.totalPaisa),
    items: pickList(o.items).map((i) => {
      const it = obj(i);
      return {
        productId: str(it.productId),
        quantity: int(it.quantity),
        pricePaisa: int(it.pricePaisa),
        name: typeof it.name === 'string' ? it.name : undefined,
      };
    }),
    createdAt: typeof o.createdAt === 'string' ? o.createdAt : undefined,
    paymentMethod: typeof o.paymentMethod === 'string' ? o.paymentMethod : undefined,
    shippingAddress: o.shippingAddress as Order['shippingAddress'],
    userId: o.userId === undefined ? undefined : str(o.userId),
  };
}
