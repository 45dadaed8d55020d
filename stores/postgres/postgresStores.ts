/**
 * The engine's stores in PostgreSQL (node-postgres): production, where several API and worker processes on several
 * hosts share one state. Chosen with SOAR_DATABASE_URL=postgres://...; the schema is migrated at start.
 */
import { Pool, type PoolClient } from 'pg';
import type { EngineStores } from '../engineStores';
import { migrate } from './postgresMigrate';
import { PostgresReadModel, PostgresWorkOrders } from './postgresReadModel';
import { PostgresLedger, PostgresWatermarks } from './postgresLedger';
import { PostgresRateLimits, PostgresSessions } from './postgresSessions';
import { PostgresVersions } from './postgresVersions';

export async function openPostgresStores(connectionString: string, { maxConnections = 10 } = {}): Promise<EngineStores> {
  const pool = new Pool({ connectionString, max: maxConnections, connectionTimeoutMillis: 10_000 });
  // An idle connection the server drops must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    kind: 'postgres',
    readModel: new PostgresReadModel(pool),
    workOrders: new PostgresWorkOrders(pool),
    ledger: new PostgresLedger(pool),
    watermarks: new PostgresWatermarks(pool),
    sessions: new PostgresSessions(pool),
    rateLimits: new PostgresRateLimits(pool),
    versions: new PostgresVersions(pool),
    close: () => pool.end(),
  };
}

/** Runs `work` in one transaction on one connection of the pool. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
