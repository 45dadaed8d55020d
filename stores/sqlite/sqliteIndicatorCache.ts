/** The enrichment cache in the engine's SQLite file. */
import type { DatabaseSync } from 'node:sqlite';
import type { IndicatorCache } from '../indicatorCache';

export class SqliteIndicatorCache implements IndicatorCache {
  constructor(private readonly db: DatabaseSync) {}

  async get(key: string, now: number): Promise<string | null> {
    const row = this.db.prepare('SELECT answer FROM enrichment_cache WHERE cache_key = ? AND expires_at > ?').get(key, now);
    return row ? String(row['answer']) : null;
  }

  async put(key: string, value: string, expiresAt: number, now: number): Promise<void> {
    this.db.prepare('DELETE FROM enrichment_cache WHERE expires_at <= ?').run(now);
    this.db
      .prepare('INSERT INTO enrichment_cache (cache_key, answer, expires_at) VALUES (?, ?, ?) ON CONFLICT (cache_key) DO UPDATE SET answer = excluded.answer, expires_at = excluded.expires_at')
      .run(key, value, expiresAt);
  }
}
