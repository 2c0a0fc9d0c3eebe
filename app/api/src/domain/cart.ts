import type { CartRepo } from '../data/cart-repo';
import { AppError } from './errors';

export function cartService(repo: CartRepo) {
  async function view(owner: string | null) {
    const lines = owner ? await repo.lines(owner) : [];
    return {
      items: lines.map((l) => ({
        productId: l.productId,
        quantity: l.quantity,
        pricePaisa: l.pricePaisa,
        name: l.name,
        stock: l.stock,
      })),
      totalPaisa: lines.reduce((s, l) => s + l.quantity * l.pricePaisa, 0),
    };
  }
  return {
    view,
    async set(owner: string, productId: number, quantity: number) {
      if (!(await repo.setQuantity(owner, productId, quantity))) {
        throw new AppError(404, 'not_found', 'product not found');
      }
      return view(owner);
    },
  };
}

export type CartService = ReturnType<typeof cartService>;
