import type { Pool } from 'pg';
import type { Role, User } from './types';

export function usersRepo(pool: Pool) {
  return {
    async findByEmail(email: string): Promise<(User & { passwordHash: string }) | null> {
      const { rows } = await pool.query<User & { passwordHash: string }>(
        'SELECT id, email, name, role, password_hash AS "passwordHash" FROM users WHERE email = $1',
        [email],
      );
      return rows[0] ?? null;
    },

    /** Inserts a user; null when the email is taken. */
    async create(u: {
      email: string;
      name: string;
      passwordHash: string;
      role: Role;
    }): Promise<User | null> {
      const { rows } = await pool.query<User>(
        `INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, $4)
         ON CONFLICT (email) DO NOTHING RETURNING id, email, name, role`,
        [u.email, u.name, u.passwordHash, u.role],
      );
      return rows[0] ?? null;
    },

    /**
     * Creates or promotes the user, setting the password (the admin bootstrap). Every session the
     * user had is deleted in the same statement: a change of role or password takes effect at
     * the next login, with a new session id, never in a session opened before it.
     */
    async upsertWithRole(u: {
      email: string;
      name: string;
      passwordHash: string;
      role: Role;
    }): Promise<User> {
      const { rows } = await pool.query<User>(
        `WITH u AS (
           INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, $4)
           ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role
           RETURNING id, email, name, role),
         gone AS (DELETE FROM sessions WHERE user_id IN (SELECT id FROM u))
         SELECT id, email, name, role FROM u`,
        [u.email, u.name, u.passwordHash, u.role],
      );
      return rows[0]!;
    },
  };
}

export type UsersRepo = ReturnType<typeof usersRepo>;
