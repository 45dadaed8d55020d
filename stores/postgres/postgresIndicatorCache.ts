/** The enrichment cache in PostgreSQL, shared by every worker on every host. */
import type { Pool } from 'pg';
import type { IndicatorCache } from '../indicatorCache';

export class PostgresIndicatorCache implements IndicatorCache {
  constructor(private readonly pool: Pool) {}

  async get(key: string, now: number): Promise<string | null> {
    const { rows } = await this.pool.query('SELECT answer FROM enrichment_cache WHERE cache_key = $1 AND expires_at > $2', [key, now]);
    return rows[0] ? String(rows[0].answer) : null;
  }

  async put(key: string, value: string, expiresAt: number, now: number): Promise<void> {
    await this.pool.query('DELETE FROM enrichment_cache WHERE expires_at <= $1', [now]);
    await this.pool.query(
      'INSERT INTO enrichment_cache (cache_key, answer, expires_at) VALUES ($1, $2, $3) ON CONFLICT (cache_key) DO UPDATE SET answer = EXCLUDED.answer, expires_at = EXCLUDED.expires_at',
      [key, value, expiresAt],
    );
  }
}
