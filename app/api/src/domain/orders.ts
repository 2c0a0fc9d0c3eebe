import type { OrdersRepo } from '../data/orders-repo';
import type { OrderStatus, User } from '../data/types';
import { notFound } from './errors';
import { toPublicOrder } from './checkout';

export function ordersService(repo: OrdersRepo) {
  return {
    async mine(user: User, page: number, pageSize: number) {
      const r = await repo.list({ userId: user.id, page, pageSize });
      return { ...r, items: r.items.map(toPublicOrder) };
    },

    /** Another customer's order is a 404, not a 403: its existence is not disclosed. */
    async one(user: User, id: string) {
      const o = await repo.findById(id);
      if (!o || (o.userId !== user.id && user.role === 'customer')) throw notFound('order');
      return toPublicOrder(o);
    },

    async all(q: { status?: OrderStatus; page: number; pageSize: number }) {
      const r = await repo.list(q);
      return { ...r, items: r.items.map((o) => ({ ...toPublicOrder(o), userId: o.userId })) };
    },
  };
}

export type OrdersService = ReturnType<typeof ordersService>;
