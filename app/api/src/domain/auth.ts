import { createHmac, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { withTransaction } from '../data/pool';
import type { UsersRepo } from '../data/users-repo';
import type { SessionsRepo } from '../data/sessions-repo';
import { cartRepo, guestOwner, userOwner } from '../data/cart-repo';
import type { User } from '../data/types';
import type { Metrics } from '../metrics';
import { AppError } from './errors';
import {
  commonPasswords,
  dummyHash,
  hashPassword,
  isCommonPassword,
  verifyPassword,
} from './passwords';
import type { Limit, RateLimiter } from './rate-limiter';

export interface AuthDeps {
  pool: Pool;
  users: UsersRepo;
  sessions: SessionsRepo;
  limiter: RateLimiter;
  metrics: Metrics;
  sessionKey: Buffer;
  sessionTtlHours: number;
  limits: { ip: Limit; account: Limit };
}

export interface CurrentSession {
  /** HMAC of the cookie token: the database key, never the token itself. */
  idHash: Buffer;
  user: User | null;
}

/** Same answer for an unknown email and a wrong password: no user enumeration. */
const invalid = () => new AppError(401, 'invalid_credentials', 'email or password is wrong');

export function authService(d: AuthDeps) {
  const carts = cartRepo(d.pool);
  commonPasswords(); // read the bundled list at start: a missing file stops the api, not a signup
  const hashToken = (token: string) => createHmac('sha256', d.sessionKey).update(token).digest();

  /** Starts a user session, carrying over the guest cart and dropping the old session (no fixation). */
  async function startSession(userId: string, previous: CurrentSession | null): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await withTransaction(d.pool, async (c) => {
      await d.sessions.create(hashToken(token), userId, d.sessionTtlHours, c);
      if (previous) {
        if (!previous.user) await carts.merge(guestOwner(previous.idHash), userOwner(userId), c);
        await d.sessions.delete(previous.idHash, c);
      }
    });
    return token;
  }

  async function limited(key: string, l: Limit) {
    const wait = await d.limiter.hit(key, l);
    if (wait > 0) {
      d.metrics.loginAttempts.inc({ outcome: 'rate_limited' });
      throw new AppError(
        429,
        'rate_limited',
        'too many login attempts; try again later',
        undefined,
        {
          'Retry-After': String(wait),
        },
      );
    }
  }

  return {
    hashToken,

    async session(token: string | undefined): Promise<CurrentSession | null> {
      if (!token || token.length > 100) return null;
      const idHash = hashToken(token);
      const row = await d.sessions.find(idHash);
      return row ? { idHash, user: row.user } : null;
    },

    /** A session for a guest's cart; returns the new cookie token. */
    async startGuestSession(): Promise<{ token: string; idHash: Buffer }> {
      const token = randomBytes(32).toString('base64url');
      const idHash = hashToken(token);
      await d.sessions.create(idHash, null, d.sessionTtlHours);
      return { token, idHash };
    },

    async register(
      input: { email: string; password: string; name: string },
      previous: CurrentSession | null,
    ): Promise<{ user: User; token: string }> {
      if (isCommonPassword(input.password)) {
        throw new AppError(
          422,
          'password_too_common',
          'that password is one of the most common ones; choose another',
          { field: 'body.password' },
        );
      }
      const user = await d.users.create({
        email: input.email.toLowerCase(),
        name: input.name,
        passwordHash: await hashPassword(input.password),
        role: 'customer',
      });
      if (!user) throw new AppError(409, 'email_taken', 'an account with that email exists');
      return { user, token: await startSession(user.id, previous) };
    },

    async login(
      input: { email: string; password: string },
      ip: string,
      previous: CurrentSession | null,
    ): Promise<{ user: User; token: string }> {
      const email = input.email.toLowerCase();
      await limited(`login:ip:${ip}`, d.limits.ip);
      await limited(`login:account:${email}`, d.limits.account);
      const found = await d.users.findByEmail(email);
      const ok = await verifyPassword(found?.passwordHash ?? (await dummyHash()), input.password);
      if (!found || !ok) {
        d.metrics.loginAttempts.inc({ outcome: 'invalid' });
        throw invalid();
      }
      d.metrics.loginAttempts.inc({ outcome: 'success' });
      await d.limiter.reset(`login:account:${email}`);
      const { passwordHash: _p, ...user } = found;
      return { user, token: await startSession(user.id, previous) };
    },

    async logout(current: CurrentSession | null): Promise<void> {
      if (current) await d.sessions.delete(current.idHash);
    },
  };
}

export type AuthService = ReturnType<typeof authService>;
