/** Dashboard sessions and rate-limit counters in PostgreSQL: shared by every API process on every host. */
import type { Pool } from 'pg';
import { sessionKey, type SessionStore, type StoredSession } from '../sessionStore';
import { STALE_AFTER_MS, windowStart, type RateLimitStore } from '../rateLimitStore';
import { inTransaction } from './postgresStores';

export class PostgresSessions implements SessionStore {
  constructor(private readonly pool: Pool) {}

  async open(session: StoredSession, maxPerPrincipal: number): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      await db.query(
        'INSERT INTO dashboard_sessions (session_key, principal_key, principal, csrf_token, expires_at, opened_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [sessionKey(session.id), session.principalKey, session.principal, session.csrfToken, session.expiresAt, Date.now()],
      );
      await db.query(
        `DELETE FROM dashboard_sessions WHERE principal_key = $1 AND session_key NOT IN (
           SELECT session_key FROM dashboard_sessions WHERE principal_key = $1 ORDER BY opened_at DESC, opened_seq DESC LIMIT $2)`,
        [session.principalKey, maxPerPrincipal],
      );
    });
  }

  async find(id: string, now: number): Promise<StoredSession | undefined> {
    const { rows } = await this.pool.query('SELECT principal_key, principal, csrf_token, expires_at FROM dashboard_sessions WHERE session_key = $1', [sessionKey(id)]);
    const row = rows[0];
    if (!row) return undefined;
    if (Number(row.expires_at) <= now) {
      await this.close(id);
      return undefined;
    }
    return { id, principalKey: String(row.principal_key), principal: String(row.principal), csrfToken: String(row.csrf_token), expiresAt: Number(row.expires_at) };
  }

  async close(id: string): Promise<void> {
    await this.pool.query('DELETE FROM dashboard_sessions WHERE session_key = $1', [sessionKey(id)]);
  }

  async sweep(now: number): Promise<number> {
    return (await this.pool.query('DELETE FROM dashboard_sessions WHERE expires_at <= $1', [now])).rowCount ?? 0;
  }
}

export class PostgresRateLimits implements RateLimitStore {
  constructor(private readonly pool: Pool) {}

  async hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }> {
    const start = windowStart(windowMs, now);
    // One statement: concurrent hits from several API processes each count once (the row lock orders them).
    const { rows } = await this.pool.query(
      `WITH gone AS (DELETE FROM rate_limit_hits WHERE (bucket = $1 AND window_start < $2) OR window_start < $3)
       INSERT INTO rate_limit_hits (bucket, window_start, hits) VALUES ($1, $2, 1)
       ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_hits.hits + 1 RETURNING hits`,
      [key, start, start - STALE_AFTER_MS],
    );
    return { count: Number(rows[0]?.hits ?? 1), resetAt: start + windowMs };
  }

  async peek(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }> {
    const start = windowStart(windowMs, now);
    const { rows } = await this.pool.query('SELECT hits FROM rate_limit_hits WHERE bucket = $1 AND window_start = $2', [key, start]);
    return { count: Number(rows[0]?.hits ?? 0), resetAt: start + windowMs };
  }

  async unhit(key: string, windowMs: number, now: number): Promise<void> {
    await this.pool.query('UPDATE rate_limit_hits SET hits = GREATEST(hits - 1, 0) WHERE bucket = $1 AND window_start = $2', [key, windowStart(windowMs, now)]);
  }

  async reset(key: string): Promise<void> {
    await this.pool.query('DELETE FROM rate_limit_hits WHERE bucket = $1', [key]);
  }
}
