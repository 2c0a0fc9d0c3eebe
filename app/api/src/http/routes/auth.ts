import { Router } from 'express';
import type { AuthService } from '../../domain/auth';
import { currentUser } from '../middleware';
import { clearSessionCookie, setSessionCookie } from '../cookies';
import { loginBody, parse, registerBody } from '../validate';

export function authRoutes(
  auth: AuthService,
  cookie: { maxAgeSeconds: number; secure: boolean },
): Router {
  const r = Router();
  r.post('/register', async (req, res) => {
    const body = parse(registerBody, req.body, 'body');
    const { user, token } = await auth.register(body, req.session ?? null);
    setSessionCookie(res, token, cookie.maxAgeSeconds, cookie.secure);
    res.status(201).json({ user });
  });
  r.post('/login', async (req, res) => {
    const body = parse(loginBody, req.body, 'body');
    const { user, token } = await auth.login(body, req.ip ?? 'unknown', req.session ?? null);
    setSessionCookie(res, token, cookie.maxAgeSeconds, cookie.secure);
    res.json({ user });
  });
  r.post('/logout', async (req, res) => {
    await auth.logout(req.session ?? null);
    clearSessionCookie(res, cookie.secure);
    res.status(204).end();
  });
  r.get('/me', (req, res) => {
    res.json({ user: currentUser(req) });
  });
  return r;
}
