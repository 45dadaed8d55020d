/**
 * Applies the migrations not yet applied, in order, each in its own transaction, under a PostgreSQL advisory lock:
 * two processes starting together never race, the second finds the work done.
 */
import type { Pool } from 'pg';
import { MIGRATIONS, type Migration } from './migrations';

/** Any fixed number: every engine process takes the same lock ("soar" in ASCII). */
const MIGRATION_LOCK = 0x736f6172;

/** Thrown when the database holds a schema newer than this code knows (a rollback to older code). */
export class SchemaTooNewError extends Error {
  constructor(readonly applied: number, readonly known: number) {
    super(`The engine's database has schema version ${applied}, this build knows up to ${known}: run the newer build or restore a matching backup`);
  }
}

export async function migrate(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<{ applied: number[] }> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const known = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...done);
    if (newest > known) throw new SchemaTooNewError(newest, known);
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${migration.version} (${migration.name}) failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      applied.push(migration.version);
    }
    return { applied };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
