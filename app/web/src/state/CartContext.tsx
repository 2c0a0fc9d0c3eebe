// The cart lives in Postgres behind the API; this keeps the last answer for the header badge and
// the cart page. Every change goes to the server and the server's cart replaces ours.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { ApiError } from '../api/client';
import type { Cart } from '../api/types';
import { itemCount } from '../lib/cart';
import { useApi } from './AppContext';
import { useSession } from './SessionContext';

interface CartState {
  cart: Cart | null;
  count: number;
  /** Re-read the cart from the server. */
  refresh: () => Promise<Cart>;
  setQuantity: (productId: string, quantity: number) => Promise<Cart>;
  addToCart: (productId: string, quantity: number) => Promise<Cart>;
  clearLocal: () => void;
}

const Ctx = createContext<CartState | null>(null);

export function CartProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const { user } = useSession();
  const [cart, setCart] = useState<Cart | null>(null);

  const refresh = useCallback(async () => {
    const c = await api.cart();
    setCart(c);
    return c;
  }, [api]);

  // Guests have carts too (kept under a guest session); logging in merges the guest cart into the
  // account's, so re-read whenever the user changes. `undefined` means the session isn't known yet.
  useEffect(() => {
    if (user === undefined) return;
    refresh().catch((e: unknown) => {
      if (!(e instanceof ApiError)) console.error(e);
    });
  }, [user, refresh]);

  const setQuantity = useCallback(
    async (productId: string, quantity: number) => {
      const c = await api.setCartQuantity(productId, quantity);
      setCart(c);
      return c;
    },
    [api],
  );

  const addToCart = useCallback(
    async (productId: string, quantity: number) => {
      // Read the server's cart first so two tabs adding the same product don't overwrite.
      const current = await api.cart();
      const have = current.items.find((i) => i.productId === productId)?.quantity ?? 0;
      return setQuantity(productId, Math.min(have + quantity, 99));
    },
    [api, setQuantity],
  );

  const value = useMemo<CartState>(
    () => ({
      cart,
      count: cart ? itemCount(cart.items) : 0,
      refresh,
      setQuantity,
      addToCart,
      clearLocal: () => setCart({ items: [], totalPaisa: 0 }),
    }),
    [cart, refresh, setQuantity, addToCart],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useCart(): CartState {
  const c = useContext(Ctx);
  if (!c) throw new Error('useCart outside CartProvider');
  return c;
}
