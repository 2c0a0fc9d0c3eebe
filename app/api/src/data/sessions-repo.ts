import type { Pool, PoolClient } from 'pg';
import type { User } from './types';

export interface SessionRow {
  userId: string | null;
  user: User | null;
}

export function sessionsRepo(pool: Pool) {
  return {
    async create(
      idHash: Buffer,
      userId: string | null,
      ttlHours: number,
      db: Pool | PoolClient = pool,
    ) {
      await db.query(
        `INSERT INTO sessions (id_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))`,
        [idHash, userId, ttlHours],
      );
    },

    /** The live session and its user, or null when unknown or expired. */
    async find(idHash: Buffer): Promise<SessionRow | null> {
      const { rows } = await pool.query<{
        user_id: string | null;
        id: string | null;
        email: string;
        name: string;
        role: User['role'];
      }>(
        `SELECT s.user_id, u.id, u.email, u.name, u.role
           FROM sessions s LEFT JOIN users u ON u.id = s.user_id
          WHERE s.id_hash = $1 AND s.expires_at > now()`,
        [idHash],
      );
      const r = rows[0];
      if (!r) return null;
      return {
        userId: r.user_id,
        user: r.id ? { id: r.id, email: r.email, name: r.name, role: r.role } : null,
      };
    },

    async delete(idHash: Buffer, db: Pool | PoolClient = pool): Promise<void> {
      await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
    },

    async deleteExpired(): Promise<number> {
      const { rowCount } = await pool.query('DELETE FROM sessions WHERE expires_at < now()');
      return rowCount ?? 0;
    },
  };
}

export type SessionsRepo = ReturnType<typeof sessionsRepo>;
