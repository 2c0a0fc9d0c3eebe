import { Router } from 'express';
import type { AuthService } from '../../domain/auth';
import type { CartService } from '../../domain/cart';
import { guestOwner, userOwner } from '../../data/cart-repo';
import { setSessionCookie } from '../cookies';
import { cartItemBody, parse, productIdParam } from '../validate';

/** Guests get a cart too (kept under a guest session, merged into the account at login). */
export function cartRoutes(
  cart: CartService,
  auth: AuthService,
  cookie: { maxAgeSeconds: number; secure: boolean },
) {
  const r = Router();
  r.get('/', async (req, res) => {
    const s = req.session;
    res.json(await cart.view(s ? (s.user ? userOwner(s.user.id) : guestOwner(s.idHash)) : null));
  });
  r.put('/items/:productId', async (req, res) => {
    const { productId } = parse(productIdParam, req.params, 'params');
    const { quantity } = parse(cartItemBody, req.body, 'body');
    let s = req.session;
    if (!s) {
      const guest = await auth.startGuestSession();
      setSessionCookie(res, guest.token, cookie.maxAgeSeconds, cookie.secure);
      s = { idHash: guest.idHash, user: null };
    }
    res.json(
      await cart.set(s.user ? userOwner(s.user.id) : guestOwner(s.idHash), productId, quantity),
    );
  });
  return r;
}
