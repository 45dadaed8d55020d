/** Dashboard sessions and rate-limit counters in SQLite (one host: every API process of it shares the file). */
import type { DatabaseSync } from 'node:sqlite';
import { sessionKey, type SessionStore, type StoredSession } from '../sessionStore';
import { STALE_AFTER_MS, windowStart, type RateLimitStore } from '../rateLimitStore';
import { inTransaction } from './sqliteStores';

export class SqliteSessions implements SessionStore {
  constructor(private readonly db: DatabaseSync) {}

  async open(session: StoredSession, maxPerPrincipal: number): Promise<void> {
    inTransaction(this.db, () => {
      this.db
        .prepare('INSERT INTO dashboard_sessions (session_key, principal_key, principal, csrf_token, expires_at, opened_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(sessionKey(session.id), session.principalKey, session.principal, session.csrfToken, session.expiresAt, Date.now());
      this.db
        .prepare(
          `DELETE FROM dashboard_sessions WHERE principal_key = ? AND session_key NOT IN (
             SELECT session_key FROM dashboard_sessions WHERE principal_key = ? ORDER BY opened_at DESC, rowid DESC LIMIT ?)`,
        )
        .run(session.principalKey, session.principalKey, maxPerPrincipal);
    });
  }

  async find(id: string, now: number): Promise<StoredSession | undefined> {
    const row = this.db.prepare('SELECT principal_key, principal, csrf_token, expires_at FROM dashboard_sessions WHERE session_key = ?').get(sessionKey(id));
    if (!row) return undefined;
    if (Number(row['expires_at']) <= now) {
      await this.close(id);
      return undefined;
    }
    return { id, principalKey: String(row['principal_key']), principal: String(row['principal']), csrfToken: String(row['csrf_token']), expiresAt: Number(row['expires_at']) };
  }

  async close(id: string): Promise<void> {
    this.db.prepare('DELETE FROM dashboard_sessions WHERE session_key = ?').run(sessionKey(id));
  }

  async sweep(now: number): Promise<number> {
    return Number(this.db.prepare('DELETE FROM dashboard_sessions WHERE expires_at <= ?').run(now).changes);
  }
}

export class SqliteRateLimits implements RateLimitStore {
  constructor(private readonly db: DatabaseSync) {}

  async hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }> {
    const start = windowStart(windowMs, now);
    const row = inTransaction(this.db, () => {
      // Counters of past windows go: this key's at once, every key's after a day, so the table stays small.
      this.db.prepare('DELETE FROM rate_limit_hits WHERE (bucket = ? AND window_start < ?) OR window_start < ?').run(key, start, start - STALE_AFTER_MS);
      return this.db
        .prepare(
          `INSERT INTO rate_limit_hits (bucket, window_start, hits) VALUES (?, ?, 1)
           ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1 RETURNING hits`,
        )
        .get(key, start);
    });
    return { count: Number(row?.['hits'] ?? 1), resetAt: start + windowMs };
  }

  async peek(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }> {
    const start = windowStart(windowMs, now);
    const row = this.db.prepare('SELECT hits FROM rate_limit_hits WHERE bucket = ? AND window_start = ?').get(key, start);
    return { count: Number(row?.['hits'] ?? 0), resetAt: start + windowMs };
  }

  async unhit(key: string, windowMs: number, now: number): Promise<void> {
    this.db.prepare('UPDATE rate_limit_hits SET hits = MAX(hits - 1, 0) WHERE bucket = ? AND window_start = ?').run(key, windowStart(windowMs, now));
  }

  async reset(key: string): Promise<void> {
    this.db.prepare('DELETE FROM rate_limit_hits WHERE bucket = ?').run(key);
  }
}
