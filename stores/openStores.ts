/** Opens the engine's stores the configuration names: PostgreSQL when a database URL is set, else the SQLite file. */
import type { EngineStores } from './engineStores';
import { openPostgresStores } from './postgres/postgresStores';
import { openSqliteStores } from './sqlite/sqliteStores';

export interface StoreConfig {
  /** postgres://...; null: the SQLite file (or the reference below). */
  databaseUrl: string | null;
  /** A secret reference (env:NAME, file:/path) to the URL; resolved with `resolveSecret`. */
  databaseUrlRef: string | null;
  sqliteFile: string;
}

export async function openStores({ databaseUrl, databaseUrlRef, sqliteFile }: StoreConfig, resolveSecret: (ref: string) => string): Promise<EngineStores> {
  const url = databaseUrl ?? (databaseUrlRef ? resolveSecret(databaseUrlRef).trim() : null);
  return url ? openPostgresStores(url) : openSqliteStores(sqliteFile);
}
