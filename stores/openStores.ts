/** Opens the engine's stores the configuration names: PostgreSQL when a database URL is set, else the SQLite file. */
import type { EngineStores } from './engineStores';
import { openPostgresStores } from './postgres/postgresStores';
import { openSqliteStores } from './sqlite/sqliteStores';

export interface StoreConfig {
  /** postgres://...; null: the SQLite file. */
  databaseUrl: string | null;
  sqliteFile: string;
}

export async function openStores({ databaseUrl, sqliteFile }: StoreConfig): Promise<EngineStores> {
  return databaseUrl ? openPostgresStores(databaseUrl) : openSqliteStores(sqliteFile);
}
